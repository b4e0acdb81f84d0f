/**
 * Our nunjucks Compiler subclass: emits calls into jinja-runtime for everything whose meaning
 * differs between JavaScript and Python/Jinja, plus the AST nodes it adds.
 */
/* eslint-disable @typescript-eslint/no-explicit-any */
import { compilerModule, nodes } from './nunjucks-internals.js';
import { checkTemplateNames } from './template-names.js';

/** The calls of the lookup globals, whose terms Ansible templates again. */
const LOOKUP_CALLS = ['lookup', 'query', 'q'];

// AST nodes our compiler adds
const PyTruthyNode = nodes.Node.extend('PyTruthy', { fields: ['target'] });
const PyIterNode = nodes.Node.extend('PyIter', { fields: ['target', 'pairs'] });
export const PyFloatLiteral = nodes.Literal.extend('PyFloatLiteral');
const PyLoopFilterNode = nodes.Node.extend('PyLoopFilter', { fields: ['target', 'cond', 'names'] });
export const PyNativeOutput = nodes.Node.extend('PyNativeOutput', { fields: ['expr'] });
export const SliceNode = nodes.Node.extend('Slice', {
  fields: ['start', 'stop', 'step'],
  init(this: any, lineno: number, colno: number, start: any, stop: any, step: any) {
    start = start || new nodes.Literal(lineno, colno, null);
    stop = stop || new nodes.Literal(lineno, colno, null);
    step = step || new nodes.Literal(lineno, colno, null);
    this.parent(lineno, colno, start, stop, step);
  },
});

/** `x.y['z'][0]` for messages about missing attributes. */
function expressionName(node: any): string {
  if (node instanceof nodes.Symbol) return node.value;
  if (node instanceof nodes.LookupVal) {
    const base = expressionName(node.target);
    const key = node.val;
    if (key instanceof nodes.Literal && typeof key.value === 'string' && /^[A-Za-z_]\w*$/.test(key.value)) {
      return `${base}.${key.value}`;
    }
    if (key instanceof nodes.Literal) return `${base}[${JSON.stringify(key.value)}]`;
    if (key instanceof nodes.Symbol) return `${base}[${key.value}]`;
    return `${base}[...]`;
  }
  return '(expression)';
}

const BINOPS: Record<string, string> = {
  Add: '+', Sub: '-', Mul: '*', Div: '/', FloorDiv: '//', Mod: '%', Pow: '**',
};

export class PyCompiler extends (compilerModule.Compiler as new (...args: any[]) => any) {
  [key: string]: any;

  compileRoot(node: any, frame: any): void {
    checkTemplateNames(node, (message, at) => this.fail(message, at?.lineno, at?.colno));
    super.compileRoot(node, frame);
  }

  /** Dict literals and keyword arguments: computed keys, so `'__proto__'` is an own key. */
  compilePair(node: any, frame: any): void {
    const key = node.key instanceof nodes.Symbol ? new nodes.Literal(node.key.lineno, node.key.colno, node.key.value) : node.key;
    if (!(key instanceof nodes.Literal && typeof key.value === 'string')) {
      this.fail('dict keys must be strings or names', key.lineno, key.colno);
    }
    this._emit('[');
    this.compile(key, frame);
    this._emit(']: ');
    this._compileExpression(node.value, frame);
  }

  /** nunjucks pastes the callee's text into a string unescaped; JSON.stringify it instead. */
  compileFunCall(node: any, frame: any): void {
    this._emit(`(lineno = ${node.lineno}, colno = ${node.colno}, runtime.callWrap(`);
    this._compileExpression(node.name, frame);
    this._emit(`, ${JSON.stringify(this._getNodeName(node.name))}, context, `);
    if (node.name instanceof nodes.Symbol && LOOKUP_CALLS.includes(node.name.value)) {
      // each positional term remembers whether computing it read unsafe data (lookups template safe terms again)
      this._emit('[');
      node.args.children.forEach((arg: any, i: number) => {
        if (i > 0) this._emit(',');
        if (arg instanceof nodes.KeywordArgs) {
          this.compile(arg, frame);
          return;
        }
        this._emit('runtime.lookupTerm(() => (');
        this.compile(arg, frame);
        this._emit('))');
      });
      this._emit('])');
    } else {
      this._compileAggregate(node.args, frame, '[', '])');
    }
    this._emit(')');
  }

  /** Only registered filters: nunjucks' env.getFilter would also return `constructor` & co. */
  compileFilter(node: any, frame: any): void {
    this.assertType(node.name, nodes.Symbol);
    this._emit(`runtime.pyFilter(env, ${JSON.stringify(node.name.value)}).call(context, `);
    this._compileAggregate(node.args, frame);
    this._emit(')');
  }

  compileOutput(node: any, frame: any): void {
    for (const child of node.children) {
      if (child instanceof nodes.TemplateData) {
        if (child.value) {
          this._emit(`${this.buffer} += `);
          this.compileLiteral(child, frame);
          this._emitLine(';');
        }
      } else {
        this._emit(`lineno = ${child.lineno}; colno = ${child.colno}; ${this.buffer} += runtime.suppressValue(`);
        this.compile(child, frame);
        this._emitLine(');');
      }
    }
  }

  compilePyNativeOutput(node: any, frame: any): void {
    this._emit(`lineno = ${node.expr.lineno}; colno = ${node.expr.colno}; ${this.buffer} = runtime.pyNative(`);
    this.compile(node.expr, frame);
    this._emitLine(');');
  }

  compilePyFloatLiteral(node: any): void {
    this._emit(`runtime.pyFloat(${String(node.value)})`);
  }

  compilePyTruthy(node: any, frame: any): void {
    this._emit('runtime.pyTruthy(');
    this.compile(node.target, frame);
    this._emit(')');
  }

  compilePyIter(node: any, frame: any): void {
    this._emit(node.pairs ? 'runtime.pyIterPairs(' : 'runtime.pyIter(');
    this.compile(node.target, frame);
    this._emit(')');
  }

  compileIf(node: any, frame: any, async: boolean): void {
    this._emitLine(`lineno = ${node.lineno}; colno = ${node.colno};`);
    if (!(node.cond instanceof PyTruthyNode)) node.cond = new PyTruthyNode(node.lineno, node.colno, node.cond);
    super.compileIf(node, frame, async);
  }

  compileFor(node: any, frame: any): void {
    this._emitLine(`lineno = ${node.lineno}; colno = ${node.colno};`);
    if (!(node.arr instanceof PyIterNode)) {
      const pairs = node.name instanceof nodes.Array;
      if (node.arr instanceof nodes.InlineIf && node.arr.else_ === null) {
        const names = pairs ? node.name.children.map((c: any) => c.value) : [node.name.value];
        const items = new PyIterNode(node.lineno, node.colno, node.arr.body, pairs);
        node.arr = new PyLoopFilterNode(node.lineno, node.colno, items, node.arr.cond, names);
      } else {
        node.arr = new PyIterNode(node.lineno, node.colno, node.arr, pairs);
      }
    }
    this._pyLoopDepth = (this._pyLoopDepth ?? 0) + 1;
    try {
      super.compileFor(node, frame);
    } finally {
      this._pyLoopDepth--;
    }
  }

  compileGroup(node: any, frame: any): void {
    if (node.children.length === 1 && !node.isTuple) {
      this._compileAggregate(node, frame, '(', ')');
      return;
    }
    this._compileAggregate(node, frame, 'runtime.pyTuple(', ')');
  }

  compileSet(node: any, frame: any): void {
    const target = node.targets[0];
    if (this._pyLoopDepth > 0 && node.targets.every((t: any) => t instanceof nodes.Symbol)) {
      // Jinja: a `set` inside a loop body is local to that iteration's scope.
      // The value is compiled first: `{% set c = c + 1 %}` reads the outer c.
      const value = this._tmpid();
      this._emit(`var ${value} = `);
      if (node.value) this._compileExpression(node.value, frame);
      else this.compile(node.body, frame);
      this._emitLine(';');
      const ids = node.targets.map((t: any) => {
        const id = this._tmpid();
        this._emitLine(`var ${id} = ${value};`);
        frame.set(t.value, id);
        return id;
      });
      node.targets.forEach((t: any, i: number) => this._emitLine(`frame.set(${JSON.stringify(t.value)}, ${ids[i]});`));
      return;
    }
    if (node.targets.length === 1 && target instanceof nodes.LookupVal && node.value) {
      this._emit('runtime.pySetAttr(');
      this.compile(target.target, frame);
      this._emit(', ');
      this.compile(target.val, frame);
      this._emit(', ');
      this.compile(node.value, frame);
      this._emitLine(');');
      return;
    }
    super.compileSet(node, frame);
  }

  compilePyLoopFilter(node: any, frame: any): void {
    const names: string[] = node.names;
    const item = this._tmpid();
    this._emit('runtime.pyLoopFilter(');
    this.compile(node.target, frame);
    this._emit(`, (function(parentFrame) { return function(${item}) { var frame = parentFrame.push(); `);
    if (names.length === 1) this._emit(`frame.set(${JSON.stringify(names[0])}, ${item}); `);
    else names.forEach((n, i) => this._emit(`frame.set(${JSON.stringify(n)}, ${item}[${i}]); `));
    this._emit('return runtime.pyTruthy(');
    this.compile(node.cond, frame);
    this._emit('); }; })(frame))');
  }

  compileInlineIf(node: any, frame: any): void {
    this._emit('(runtime.pyTruthy(');
    this.compile(node.cond, frame);
    this._emit(') ? ');
    this.compile(node.body, frame);
    this._emit(' : ');
    if (node.else_ !== null) this.compile(node.else_, frame);
    else this._emit('""');
    this._emit(')');
  }

  compileNot(node: any, frame: any): void {
    this._emit('!runtime.pyTruthy(');
    this.compile(node.target, frame);
    this._emit(')');
  }

  compileAnd(node: any, frame: any): void {
    this._lazyBinop('pyAnd', node, frame);
  }

  compileOr(node: any, frame: any): void {
    this._lazyBinop('pyOr', node, frame);
  }

  _lazyBinop(fn: string, node: any, frame: any): void {
    this._emit(`runtime.${fn}(`);
    this.compile(node.left, frame);
    this._emit(', function() { return ');
    this.compile(node.right, frame);
    this._emit('; })');
  }

  compileConcat(node: any, frame: any): void {
    this._emit('runtime.pyConcat(');
    this.compile(node.left, frame);
    this._emit(', ');
    this.compile(node.right, frame);
    this._emit(')');
  }

  compileNeg(node: any, frame: any): void {
    this._emit('runtime.pyNeg(');
    this.compile(node.target, frame);
    this._emit(')');
  }

  compileCompare(node: any, frame: any): void {
    if (node.ops.length === 1) {
      this._emit(`runtime.pyCmp(${JSON.stringify(node.ops[0].type)}, `);
      this.compile(node.expr, frame);
      this._emit(', ');
      this.compile(node.ops[0].expr, frame);
      this._emit(')');
      return;
    }
    this._emit('runtime.pyCmpChain(');
    this.compile(node.expr, frame);
    for (const op of node.ops) {
      this._emit(`, ${JSON.stringify(op.type)}, function() { return `);
      this.compile(op.expr, frame);
      this._emit('; }');
    }
    this._emit(')');
  }

  compileLookupVal(node: any, frame: any): void {
    this._emit('runtime.memberLookup((');
    this._compileExpression(node.target, frame);
    this._emit('),');
    this._compileExpression(node.val, frame);
    this._emit(`, ${JSON.stringify(expressionName(node))})`);
  }

  compileSlice(node: any, frame: any): void {
    this._emit('runtime.pySlice(');
    this.compile(node.start, frame);
    this._emit(', ');
    this.compile(node.stop, frame);
    this._emit(', ');
    this.compile(node.step, frame);
    this._emit(')');
  }

  compileIs(node: any, frame: any): void {
    const right = node.right.name ? node.right.name.value : node.right.value;
    this._emit(`runtime.pyTest(env, ${JSON.stringify(right)}).call(context, `);
    this.compile(node.left, frame);
    if (node.right.args) {
      for (const arg of node.right.args.children) {
        this._emit(', ');
        this.compile(arg, frame);
      }
    }
    this._emit(') === true');
  }

  assertType(node: any, ...types: any[]): void {
    if (node instanceof SliceNode || node instanceof PyIterNode || node instanceof PyTruthyNode || node instanceof PyLoopFilterNode) return;
    super.assertType(node, ...types);
  }
}
for (const [typename, op] of Object.entries(BINOPS)) {
  (PyCompiler.prototype as any)[`compile${typename}`] = function (this: any, node: any, frame: any) {
    this._emit(`runtime.pyBinop(${JSON.stringify(op)}, `);
    this.compile(node.left, frame);
    this._emit(', ');
    this.compile(node.right, frame);
    this._emit(')');
  };
}
