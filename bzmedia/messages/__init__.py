"""The fourth channel, ``messages``: the campaign's message for phones and the web.

From the ``messages:`` block of a campaign script (:mod:`bzmedia.campaign.messages_spec`), per
locality: SMS in GSM-7 without diacritics and in UCS-2 with them (:mod:`.sms`, counted by the real
GSM 03.38 codec), a Zalo Official Account text, a self-contained wifi-portal page and a web-portal
article (:mod:`.pages`), and images drawn by the signage painter (:mod:`.images`).  ``validate``
checks SMS parts, Zalo length and the images' text fit without any image library (:mod:`.limits`,
:mod:`.fitcheck`); the builder (:mod:`.builder`) is registered by one line in
:data:`bzmedia.build.BUILDERS`.
"""
