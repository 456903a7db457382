// Interop vectors from an independent ISO 8583 implementation: the npm package iso_8583, version 2.6.7.
// The C# tests hold the captured bytes, so neither CI nor the tests need Node; run this by hand to regenerate
// or re-check them. Install the package OUTSIDE the repository (node_modules is never committed):
//
//   mkdir -p /tmp/npmiso && (cd /tmp/npmiso && npm install iso_8583@2.6.7)
//   export NODE_PATH=/tmp/npmiso/node_modules
//   node tests/SocketAtm.Protocol.Tests/Interop/make-vector.js withdrawal        # 0200 frame as hex
//   node tests/SocketAtm.Protocol.Tests/Interop/make-vector.js reversal          # 0400 frame as hex
//   node tests/SocketAtm.Protocol.Tests/Interop/make-vector.js check-response HEX
//
// check-response unpacks a 0210 frame produced by SocketAtm (the test's OurWithdrawalResponseFrameHex) with the
// package and compares every field with what SocketAtm meant to send; it prints field numbers and ok/MISMATCH only.
//
// Package quirks that shape the vectors: fixed binary fields take hex strings (DE 52 is 16 hex characters for
// 8 bytes); its DE 64/128 formats are 4 bytes, so these vectors avoid them; fixed fields must be given at full
// length (it does not pad); and it always sends bit 1 with a secondary bitmap, all zeros when no field above 64.
'use strict';

const Iso8583 = require('iso_8583');

// Same values as src/Fixtures/ReferenceMessages.cs (demo card, never a real one).
const withdrawal = {
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
};

// A partial reversal of that withdrawal: DE 90 and DE 95 put a real secondary bitmap on the wire.
const reversal = {
  0: '0400',
  2: '4761739001010119',
  3: '012000',
  4: '000000002000',
  7: '0415103500',
  11: '000125',
  32: '400001',
  41: 'ATM00001',
  49: '840',
  90: '0200' + '000123' + '0415103015' + '00000400001' + '00000000000',
  95: '000000001000' + '000000001000' + 'C00000000' + 'C00000000',
};

// What SocketAtm's 0210 approval of the withdrawal carries (ReferenceMessages.FillWithdrawalResponse).
const expectedResponse = {
  0: '0210',
  2: '4761739001010119',
  3: '012000',
  4: '000000002000',
  7: '0415103015',
  11: '000123',
  12: '103015',
  13: '0415',
  32: '400001',
  37: '000000000001',
  38: '483920',
  39: '00',
  41: 'ATM00001',
  49: '840',
  54: '2001840C000000098000' + '2002840C000000098000',
};

function frameHex(message) {
  const buffer = new Iso8583(message).getBufferMessage();
  if (buffer.error) {
    throw new Error(buffer.error);
  }
  return buffer.toString('hex').toUpperCase();
}

function checkResponse(hex) {
  const unpacked = new Iso8583().getIsoJSON(Buffer.from(hex, 'hex'));
  if (unpacked.error) {
    throw new Error(unpacked.error);
  }
  const fields = new Set([...Object.keys(expectedResponse), ...Object.keys(unpacked)]);
  let mismatches = 0;
  for (const field of [...fields].sort((a, b) => Number(a) - Number(b))) {
    const same = unpacked[field] === expectedResponse[field];
    mismatches += same ? 0 : 1;
    console.log(`DE ${field}: ${same ? 'ok' : 'MISMATCH'}`);
  }
  console.log(mismatches === 0 ? 'all fields match' : `${mismatches} field(s) differ`);
  process.exitCode = mismatches === 0 ? 0 : 1;
}

const [mode, argument] = process.argv.slice(2);
switch (mode ?? 'withdrawal') {
  case 'withdrawal':
    console.log(frameHex(withdrawal));
    break;
  case 'reversal':
    console.log(frameHex(reversal));
    break;
  case 'check-response':
    checkResponse(argument);
    break;
  default:
    console.error('usage: make-vector.js [withdrawal | reversal | check-response HEX]');
    process.exitCode = 2;
}
