// Capacity-fade curves of the nominal LG M50 cell (src/degradation/) for docs/degradation.md,
// as JSON on stdout; scripts/plot_degradation_fade.py draws them.
//
//   npx tsc -p tsconfig.json && node scripts/degradation-fade.mjs [build dir, default dist] > /tmp/fade.json
import { pathToFileURL } from "node:url";
import { resolve } from "node:path";

const build = resolve(process.argv[2] ?? "dist");
const load = (m) => import(pathToFileURL(resolve(build, "src/degradation", m)).href);
const { parseProtocol } = await load("protocol.js");
const { simulateAgeing, cycleCharge, LG_M50_CELL } = await load("ageing.js");

const cycles = 5000;
const cell = { ...LG_M50_CELL, seiRateSpread: 0 };
const curves = [];
for (const [charge, discharge] of [["1C", "1C"], ["1C", "C/2"], ["C/3", "C/3"]]) {
  const protocol = parseProtocol({ cycles, chargeRate: charge, dischargeRate: discharge, temperatureK: 298.15, voltageWindow: [2.5, 4.2] });
  const records = simulateAgeing(protocol, cell, 1);
  const timing = cycleCharge(protocol, cell);
  const at80 = records.find((r) => r.capacityFraction < 0.8)?.cycle ?? null;
  curves.push({ label: `${charge} CC-CV (C/20) / ${discharge}, 25 °C`, capacity: records.map((r) => r.capacityFraction), cyclesTo80: at80,
    chargedFraction: timing.profile.chargedFraction, chargeTimeS: timing.chargeTimeS, platedPerChargeMolPerM2: timing.plating.platedMolPerM2 });
}
process.stdout.write(JSON.stringify({ cycles, curves }) + "\n");
