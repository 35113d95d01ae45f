"""Charts of the ``stats:`` figures: one drawing shared by every channel.

Why a room of its own: the ranking of all localities and one locality's progress appear on the
print poster (vector, inside the PDF), on screen slides and on the kit page (raster).  Drawing
the bars twice (reportlab for paper, Pillow for screens) would let the two drift apart, so the
figure is built once as a reportlab graphics ``Drawing`` (:mod:`bzmedia.charts.draw`) from plain
data (:mod:`bzmedia.charts.data`, no heavy import, so planning and ``validate`` stay light),
drawn as vectors into PDFs and rasterized through pypdfium2 for pixels
(:mod:`bzmedia.charts.raster`; reportlab's own bitmap renderer needs rlPyCairo, which we lack).
"""
