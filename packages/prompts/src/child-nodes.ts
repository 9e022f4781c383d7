import type { NunjucksNode } from './nunjucks-internals.ts';

/**
 * The syntax-tree children of a Nunjucks node, whatever its kind.
 *
 * @example
 * const symbols = childNodes(root).filter((node) => node.typename === 'Symbol');
 */
export function childNodes(node: NunjucksNode): NunjucksNode[] {
  const children: NunjucksNode[] = [];
  const add = (value: unknown) => {
    if (isNode(value)) children.push(value);
    else if (Array.isArray(value)) for (const item of value) add(item);
  };
  // `fields` names every child slot, `children` included for lists and `contentArgs` for tags.
  for (const field of node.fields) add(node[field]);
  return children;
}

function isNode(value: unknown): value is NunjucksNode {
  return typeof value === 'object' && value !== null && typeof (value as NunjucksNode).typename === 'string';
}
