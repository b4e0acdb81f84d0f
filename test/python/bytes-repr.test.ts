import { expect } from 'chai';
import { pyBytesRepr } from '../../src/python/repr.js';

// Expected values printed by python3: repr(text.encode())
const CASES: [string, string][] = [
  ['/srv/x', "b'/srv/x'"],
  ["/a'b", `b"/a'b"`],
  [`/a"b'c`, `b'/a"b\\'c'`],
  ['/é\t\\', "b'/\\xc3\\xa9\\t\\\\'"],
];

describe('python: repr of a path as bytes', () => {
  for (const [text, repr] of CASES) it(`${JSON.stringify(text)} -> ${repr}`, () => expect(pyBytesRepr(text)).to.equal(repr));
});
