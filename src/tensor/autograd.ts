// Reverse-mode automatic differentiation.
//
// Each differentiable op called with grad enabled creates a Node holding: the backward
// rule, the tensors it saved, and edges to its inputs' nodes (or to leaf tensors, whose
// .grad receives the result). `loss.backward()` walks the nodes in reverse topological
// order, sums the gradients flowing into each, and frees the graph as it goes.
//
// Lifetime: a node is reference-counted by the tensor handle that owns it and by the
// nodes that consume it. Disposing a tensor (directly or through tidy) drops one
// reference; a node and its saved tensors are freed when nobody can reach it any more,
// or when backward has passed through it. So `tidy(() => model(x).loss)` keeps exactly
// the graph the returned loss needs, and nothing else.
import type { Tensor } from './tensor.js';
import { keep } from './tensor.js';

export type BackwardFn = (grad: Tensor, saved: Tensor[]) => (Tensor | null)[];

type Edge = { node: Node } | { leaf: Tensor } | null;

let gradEnabled = true;

export function isGradEnabled(): boolean {
  return gradEnabled;
}

/** Run fn without recording the autograd graph (inference, optimizer updates). */
export function noGrad<T>(fn: () => T): T {
  const prev = gradEnabled;
  gradEnabled = false;
  try {
    const r = fn();
    if (r instanceof Promise) {
      return r.finally(() => {
        gradEnabled = prev;
      }) as T;
    }
    gradEnabled = prev;
    return r;
  } catch (e) {
    gradEnabled = prev;
    throw e;
  }
}

export class Node {
  refs = 1;
  freed = false;
  hooks: ((g: Tensor) => void)[] = [];
  readonly edges: Edge[];
  constructor(
    readonly op: string,
    inputs: Tensor[],
    readonly backwardFn: BackwardFn,
    public saved: Tensor[],
  ) {
    this.edges = inputs.map((t) => {
      if (!t.requiresGrad) return null;
      if (t.node) {
        t.node.refs++;
        return { node: t.node };
      }
      return { leaf: t };
    });
  }

  unref(): void {
    if (--this.refs > 0) return;
    this.release();
    for (const e of this.edges) if (e && 'node' in e) e.node.unref();
  }

  /** Drop saved tensors (after backward, or when unreachable). */
  release(): void {
    if (this.freed) return;
    this.freed = true;
    for (const s of this.saved) s.dispose();
    this.saved = [];
  }
}

/**
 * Record an op's output in the graph. `saved` tensors are shared handles that live as
 * long as the node (the caller's own handles may be disposed freely).
 */
export function record(out: Tensor, op: string, inputs: Tensor[], backward: BackwardFn, saved: Tensor[] = []): Tensor {
  if (!gradEnabled || !inputs.some((t) => t.requiresGrad)) return out;
  const shared = saved.map((t) => keep(t.share()));
  out.node = new Node(op, inputs, backward, shared);
  out.requiresGrad = true;
  return out;
}

/** Register a hook that receives the gradient of `t` during backward (read-only: don't dispose it). */
export function onGrad(t: Tensor, hook: (g: Tensor) => void): void {
  if (t.node) t.node.hooks.push(hook);
  else t.hooks.push(hook);
}

/**
 * Backpropagate from `root` (default gradient: ones, which requires a scalar root
 * unless `grad` is given). Leaf gradients are accumulated into `.grad` and realised;
 * every intermediate is freed, and the graph behind root cannot be reused.
 */
export function backward(root: Tensor, grad: Tensor | undefined, ones: (like: Tensor) => Tensor, add: (a: Tensor, b: Tensor) => Tensor, sumTo: (g: Tensor, shape: number[]) => Tensor): void {
  root.assertAlive('backward');
  if (!root.requiresGrad) throw new Error('backward: tensor does not require grad (no parameter with requiresGrad reached it)');
  if (!grad && root.size !== 1) throw new Error(`backward: gradient can be implied only for scalar outputs, got shape [${root.shape.join(', ')}]`);
  const prev = gradEnabled;
  gradEnabled = false;
  try {
    const g0 = grad ? grad.share() : ones(root);
    if (!root.node) {
      accumulateLeaf(root, g0, add);
      return;
    }
    // topological order by iterative DFS
    const order: Node[] = [];
    const seen = new Set<Node>();
    const stack: [Node, number][] = [[root.node, 0]];
    seen.add(root.node);
    while (stack.length) {
      const top = stack[stack.length - 1];
      const [n, i] = top;
      if (i < n.edges.length) {
        top[1]++;
        const e = n.edges[i];
        if (e && 'node' in e && !seen.has(e.node)) {
          seen.add(e.node);
          stack.push([e.node, 0]);
        }
      } else {
        order.push(n);
        stack.pop();
      }
    }
    const grads = new Map<Node, Tensor>();
    grads.set(root.node, g0);
    const touched: Tensor[] = [];
    for (let k = order.length - 1; k >= 0; k--) {
      const n = order[k];
      const g = grads.get(n);
      grads.delete(n);
      if (!g) continue;
      if (n.freed) throw new Error(`backward: the graph through '${n.op}' was already freed (backward runs once per forward pass)`);
      for (const h of n.hooks) h(g);
      const gin = n.backwardFn(g, n.saved);
      g.dispose();
      n.release();
      n.edges.forEach((e, j) => {
        const gi = gin[j];
        if (!e || !gi) {
          if (gi) gi.dispose();
          return;
        }
        if ('node' in e) {
          const cur = grads.get(e.node);
          if (cur) {
            grads.set(e.node, add(cur, gi));
            cur.dispose();
            gi.dispose();
          } else grads.set(e.node, gi);
        } else {
          const leaf = e.leaf;
          const fixed = sameShape(gi.shape, leaf.shape) ? gi : sumTo(gi, leaf.shape);
          if (fixed !== gi) gi.dispose();
          accumulateLeaf(leaf, fixed, add);
          touched.push(leaf);
        }
      });
    }
    for (const g of grads.values()) g.dispose();
    // Realise leaf grads so they no longer pin the intermediates they were computed from.
    for (const t of touched) if (t.grad && !t.grad.isDisposed) t.grad.realise();
  } finally {
    gradEnabled = prev;
  }
}

function accumulateLeaf(leaf: Tensor, g: Tensor, add: (a: Tensor, b: Tensor) => Tensor): void {
  if (leaf.isDisposed) {
    g.dispose();
    return;
  }
  for (const h of leaf.hooks) h(g);
  if (leaf.grad) {
    const sum = add(leaf.grad, g);
    leaf.grad.dispose();
    g.dispose();
    leaf.grad = keep(sum);
  } else {
    leaf.grad = keep(g);
  }
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}
