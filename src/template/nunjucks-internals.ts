/** nunjucks internals used to build our own parser/compiler/runtime (nothing is patched). */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
/* eslint-disable @typescript-eslint/no-explicit-any */
const nunjucks = require('nunjucks') as any;
export const compilerModule = require('nunjucks/src/compiler') as any;
export const parserModule = require('nunjucks/src/parser') as any;
export const lexer = require('nunjucks/src/lexer') as any;
export const nodes = require('nunjucks/src/nodes') as any;
export const transformer = require('nunjucks/src/transformer') as any;
export const baseRuntime = require('nunjucks/src/runtime') as any;
/** What a macro returns (nunjucks' str subclass, like Jinja's Markup). */
export const SafeString = baseRuntime.SafeString as new (value: string) => object;

export const NunjucksEnvironment = nunjucks.Environment as new (loaders: unknown, opts: object) => any;
export const NunjucksTemplate = nunjucks.Template as new (src: unknown, env: unknown, path: string) => any;
