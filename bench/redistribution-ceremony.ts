/**
 * The redistribution ceremony's own cost at board size (docs/performance.md): a key ceremony 15 of 15 with
 * threshold 8 (in-memory tokens: no key derivation, which the token's KDF measures apart), then a
 * redistribution where members 1–8 deal to a new board 1–14 and 16 (member 15 leaves, 16 joins), t' = 8,
 * through src/core/ceremony/redistribution: each step as the workstation runs it (the token opened, the
 * step's cryptography for both keys, the entry signed, appended and folded), and the folder reopened (the
 * whole chain and transcript replayed). Alone: `npx tsx bench/redistribution-ceremony.ts`.
 */
import { RedistributionCeremony } from '../src/core/ceremony/redistribution/ceremony.js';
import { closedKeyCeremony, must, newStep, oldStep, redistributionContext, RedistributionFakeTokens, tempFolder } from '../test/helpers/redistribution.js';

async function measure(op: string, n: number, work: () => Promise<void>): Promise<void> {
  const start = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  await work();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const used = process.cpuUsage(cpu);
  console.log(JSON.stringify({ op, n, seconds: Math.round(seconds * 1000) / 1000, cpuSeconds: Math.round((used.user + used.system) / 1000) / 1000 }));
}

const n = 15;
const t = 8;
const tokens = new RedistributionFakeTokens();
let kc = '';
await measure(`key ceremony ${n}/${t} (in-memory tokens), for the start`, 1, async () => {
  kc = await closedKeyCeremony(n, t, tokens);
});
const dealers = Array.from({ length: t }, (_, k) => k + 1);
const board = [...Array.from({ length: n - 1 }, (_, k) => k + 1), 16];
const names = (j: number) => `Membre ${j}`;
const change = { dealers, members: board.map((j) => ({ index: j, name: names(j), role: 'AFE', president: j === 1 })), threshold: t, reason: 'Mesure.' };
const ctx = redistributionContext(tokens);
const folder = tempFolder('redistribution');
let c!: RedistributionCeremony;
await measure('open: chain replayed (key ceremony), opening entry', 1, async () => {
  c = must(await RedistributionCeremony.create(folder, kc, change, ctx));
});
await measure(`enrol, ${board.length} new tokens`, board.length, async () => {
  for (const j of board) must(await c.enrol(newStep(j)));
});
await measure(`deal, ${t} old members (both keys)`, t, async () => {
  for (const i of dealers) must(await c.deal(oldStep(i)));
});
await measure(`check, ${board.length} new members (both keys; the last one's fold resolves both rounds)`, board.length, async () => {
  for (const j of board) must(await c.check(newStep(j)));
});
await measure('result published (recomputed, then verified by the fold)', 1, async () => {
  must(await c.publishResult());
});
await measure(`seal, ${board.length} new members (both keys)`, board.length, async () => {
  for (const j of board) must(await c.seal(newStep(j)));
});
await measure(`destruction confirmed, ${t} old members`, t, async () => {
  for (const i of dealers) must(await c.confirmDestruction(oldStep(i)));
});
await measure('close (new-board.json, report PDF)', 1, async () => {
  must(await c.close());
});
await measure('reopen: chain and transcript replayed (what a resume or a verifier does)', 1, async () => {
  must(await RedistributionCeremony.open(folder, ctx));
});
