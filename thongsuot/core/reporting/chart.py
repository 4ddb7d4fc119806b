"""A line chart's coordinates for a template to draw as SVG (no JavaScript, no image library)."""

from collections.abc import Sequence

LABEL_FORMATS = {"day": "%d/%m", "week": "%d/%m", "month": "%m/%Y"}


def nice_step(peak: int) -> int:
    """A round step (1, 2 or 5 × a power of ten) that cuts 0..peak into about five intervals."""
    raw = max(1, peak / 5)
    magnitude = 10 ** (len(str(int(raw))) - 1)
    for factor in (1, 2, 5, 10):
        if factor * magnitude >= raw:
            return int(factor * magnitude)
    return int(10 * magnitude)


def trend_chart(
    points: Sequence,
    bucket: str,
    *,
    series: Sequence[str] = ("received", "resolved"),
    width: int = 880,
    height: int = 240,
) -> dict:
    """Coordinates of one line per attribute named in `series` over `points` (objects with a `start` date
    and those attributes, one per bucket: day, week or month).

    The result has the frame (width, height, left, right, top, baseline, legend_y), `lines` (series →
    "x,y x,y …" for a polyline), every series' polyline also under its own name, `dots` (per point: x, the
    point `p`, its label and `ys` the y of each series, with `yr`/`ys` kept for the first two series),
    `y_ticks` and `x_labels` (at most about twelve)."""
    left, right, top, bottom = 48, 12, 12, 36
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = max([1, *[getattr(p, name) for p in points for name in series]])
    step = nice_step(peak)
    y_max = step * -(-peak // step)
    n = len(points)

    def x(i):
        return round(left + (plot_w * (i + 0.5) / n if n else 0), 1)

    def y(v):
        return round(top + plot_h - plot_h * v / y_max, 1)

    label_every = max(1, -(-n // 12))
    fmt = LABEL_FORMATS[bucket]
    lines = {name: " ".join(f"{x(i)},{y(getattr(p, name))}" for i, p in enumerate(points)) for name in series}
    dots = []
    for i, p in enumerate(points):
        ys = {name: y(getattr(p, name)) for name in series}
        dot = {"x": x(i), "p": p, "label": p.start.strftime("%d/%m/%Y"), "y": ys}
        for key, name in zip(("yr", "ys"), series, strict=False):
            dot[key] = ys[name]
        dots.append(dot)
    return {
        "width": width,
        "height": height,
        "left": left,
        "right": width - right,
        "top": top,
        "baseline": top + plot_h,
        "lines": lines,
        **lines,
        "dots": dots,
        "y_ticks": [{"v": v, "y": y(v)} for v in range(0, y_max + 1, step)],
        "x_labels": [{"x": x(i), "text": p.start.strftime(fmt)} for i, p in enumerate(points) if i % label_every == 0],
        "legend_y": height - 6,
    }
