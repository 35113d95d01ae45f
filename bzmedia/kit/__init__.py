"""The kit stage: the Vietnamese index page, thumbnails, per-audience zips and ``bzmedia serve``.

It runs after every channel and sees their files only through the manifest entries of
:attr:`bzmedia.builder.Plan.produced`, so it never needs to know how a file was made.
"""
