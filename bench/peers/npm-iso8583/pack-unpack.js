// The peer for SocketAtm's codec benchmarks: the npm package iso_8583 (version pinned in package.json beside this
// file) packs and unpacks SocketAtm's reference 0200 withdrawal in a loop, and this script prints what one pack and
// one unpack cost as a single line of JSON. The C# side runs it and sets our codec against it:
//
//   dotnet run -c Release --project bench/SocketAtm.Bench -- peer
//
// Run it alone with `npm ci && node pack-unpack.js [iterations] [rounds]` in this folder.
// Each measurement is the median of `rounds` timed loops of `iterations` operations, after one untimed warm-up loop.
'use strict';

const Iso8583 = require('iso_8583');
const { version } = require('iso_8583/package.json');

// The same fields and values as src/Fixtures/ReferenceMessages.cs (a demo card, never a real one).
// The package takes fixed fields at full length and fixed binary fields (DE 52) as hex.
const withdrawal = Object.freeze({
  0: '0200',
  2: '4761739001010119',
  3: '012000',
  4: '000000002000',
  7: '0415103015',
  11: '000123',
  12: '103015',
  13: '0415',
  14: '2812',
  22: '021',
  25: '02',
  32: '400001',
  35: '4761739001010119=2812101000000000',
  41: 'ATM00001',
  42: 'SOCKETATM000001',
  43: 'SOCKETATM DEMO BRANCH SPRINGFIELD     US',
  49: '840',
  52: '70450B5EE88E6C93',
});

function pack(message) {
  const frame = new Iso8583(message).getBufferMessage();
  if (frame.error) {
    throw new Error(`iso_8583 could not pack the reference message: ${frame.error}`);
  }
  return frame;
}

function unpack(frame) {
  const message = new Iso8583().getIsoJSON(frame);
  if (message.error) {
    throw new Error(`iso_8583 could not unpack the reference message: ${message.error}`);
  }
  return message;
}

// A loop that measures nothing is worse than none: check once that the round trip gives the message back.
function checkRoundTrip(frame) {
  const unpacked = unpack(frame);
  for (const field of Object.keys(withdrawal)) {
    if (String(unpacked[field]).toUpperCase() !== withdrawal[field].toUpperCase()) {
      throw new Error(`iso_8583 round trip changed DE ${field}`);
    }
  }
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

// Keeps every result alive so the JIT cannot drop the work.
let sink = 0;

function nanosecondsPerOperation(operation, iterations, rounds) {
  for (let i = 0; i < iterations; i++) {
    sink += operation();
  }

  const perRound = [];
  for (let round = 0; round < rounds; round++) {
    const started = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++) {
      sink += operation();
    }
    perRound.push(Number(process.hrtime.bigint() - started) / iterations);
  }
  return median(perRound);
}

const iterations = Number.parseInt(process.argv[2] ?? '20000', 10);
const rounds = Number.parseInt(process.argv[3] ?? '5', 10);
if (!(iterations > 0) || !(rounds > 0)) {
  console.error('usage: node pack-unpack.js [iterations > 0] [rounds > 0]');
  process.exit(2);
}

const frame = pack(withdrawal);
checkRoundTrip(frame);
const packNs = nanosecondsPerOperation(() => pack(withdrawal).length, iterations, rounds);
const unpackNs = nanosecondsPerOperation(() => Object.keys(unpack(frame)).length, iterations, rounds);

console.log(JSON.stringify({
  package: 'iso_8583',
  version,
  node: process.version,
  iterations,
  rounds,
  packNanoseconds: packNs,
  unpackNanoseconds: unpackNs,
  frameHex: frame.toString('hex').toUpperCase(),
  sink,
}));
