#!/usr/bin/python3
"""Draw docs/images/degradation/capacity-fade.png from scripts/degradation-fade.mjs output.

  npx tsc -p tsconfig.json && node scripts/degradation-fade.mjs > /tmp/fade.json
  /usr/bin/python3 scripts/plot_degradation_fade.py /tmp/fade.json docs/images/degradation/capacity-fade.png

Besides the model's CC-CV curves it draws
- the former CC-to-full 1C/1C curve of this model (docs/degradation.md before the CC-CV
  charge, git 6397e90: 0.886, 0.773, 0.660, 0.434 at cycles 100, 200, 300, 500), and
- the one published number that could be read (docs/degradation.md, "Beside published
  data"): 18650 NMC cells charged at 1C lose 7 % after 300 cycles, as tabulated by a
  secondary source whose primary study is not named there.
Nothing is fitted.
"""
import json
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

src, out = sys.argv[1], sys.argv[2]
data = json.load(open(src))
fig, ax = plt.subplots(figsize=(7.0, 4.2), dpi=110)
styles = ["-", "--", ":"]
for curve, style in zip(data["curves"], styles):
    cap = curve["capacity"]
    label = curve["label"]
    if curve["cyclesTo80"] is not None:
        label += f" (80 % at cycle {curve['cyclesTo80']})"
    ax.plot(range(len(cap)), cap, style, color="C0" if style != ":" else "C2", lw=1.6, label=label)
old_n = [0, 100, 200, 300, 500]
old_c = [1.0, 0.886, 0.773, 0.660, 0.434]
ax.plot(old_n, old_c, "o-", color="C3", ms=4, lw=1, label="1C CC to full / 1C, 25 °C: former model (80 % at cycle 176)")
ax.plot([300], [0.93], "s", color="k", ms=7, label="published: 18650 NMC, 1C charge, -7 % after 300 cycles\n(secondary table; temperature, discharge not given)")
ax.axhline(0.8, color="0.6", lw=0.8)
ax.set_xlim(0, data["cycles"])
ax.set_ylim(0.4, 1.01)
ax.set_xlabel("cycle")
ax.set_ylabel("capacity / fresh cell")
ax.set_title("LG M50-like NMC811 | graphite, model (seiRateSpread = 0)", fontsize=10)
ax.legend(fontsize=7, loc="lower right")
ax.grid(alpha=0.3)
fig.tight_layout()
fig.savefig(out)
