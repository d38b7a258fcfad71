"""Small inline SVG charts for the digest: no script, no network, the same in a mail client, a
browser and the PDF (Plotly needs its 4 MB library inline or kaleido; see docs/decisions/0101-digest-charts-are-inline-svg.md)."""

from __future__ import annotations

from html import escape

COLORS = ("#2563eb", "#f59e0b", "#10b981", "#ef4444", "#8b5cf6")


def bars(labels: list[str], values: list[float], fmt=lambda v: f"{v:,.0f}", width: int = 560) -> str:
    """Horizontal bars, one per label, the value written beside each."""
    if not labels:
        return ""
    row, label_w, value_w = 22, 150, 80
    top = max((v for v in values if v is not None), default=0) or 1
    plot_w = width - label_w - value_w
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{row * len(labels) + 4}" '
             f'role="img" font-family="sans-serif" font-size="12">']  # fmt: skip
    for i, (label, v) in enumerate(zip(labels, values, strict=True)):
        y = i * row + 2
        w = 0 if v is None else max(0.0, float(v)) / top * plot_w
        parts.append(f'<text x="{label_w - 6}" y="{y + 15}" text-anchor="end">{escape(str(label))}</text>'
                     f'<rect x="{label_w}" y="{y + 3}" width="{w:.1f}" height="{row - 6}" fill="{COLORS[0]}"/>'
                     f'<text x="{label_w + w + 4:.1f}" y="{y + 15}">{escape(fmt(v) if v is not None else "–")}</text>')  # fmt: skip
    parts.append("</svg>")
    return "".join(parts)


def lines(x: list[str], series: dict[str, list[float]], width: int = 560, height: int = 180) -> str:
    """One line per series over shared x labels (weeks), each scaled to its own maximum so that
    counts and money share a chart by shape; the legend gives each series' last value."""
    if not x or not series:
        return ""
    left, bottom, legend = 10, 30, 18 * len(series)
    plot_w, plot_h = width - 2 * left, height - bottom - legend - 6
    step = plot_w / max(len(x) - 1, 1)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" '
             f'font-family="sans-serif" font-size="11">',
             f'<line x1="{left}" y1="{plot_h + 4}" x2="{width - left}" y2="{plot_h + 4}" stroke="#ccc"/>']  # fmt: skip
    for i, (name, values) in enumerate(series.items()):
        top = max((float(v) for v in values if v is not None), default=0) or 1
        points = " ".join(f"{left + j * step:.1f},{4 + plot_h - float(v) / top * plot_h:.1f}"
                          for j, v in enumerate(values) if v is not None)  # fmt: skip
        color = COLORS[i % len(COLORS)]
        parts.append(f'<polyline fill="none" stroke="{color}" stroke-width="2" points="{points}"/>')
        y = plot_h + bottom + 4 + i * 18
        parts.append(f'<rect x="{left}" y="{y - 9}" width="10" height="10" fill="{color}"/>'
                     f'<text x="{left + 14}" y="{y}">{escape(name)}</text>')  # fmt: skip
    for j in (0, len(x) - 1):
        anchor = "start" if j == 0 else "end"
        parts.append(f'<text x="{left + j * step:.1f}" y="{plot_h + 17}" text-anchor="{anchor}" fill="#666">'
                     f"{escape(x[j])}</text>")  # fmt: skip
    parts.append("</svg>")
    return "".join(parts)
