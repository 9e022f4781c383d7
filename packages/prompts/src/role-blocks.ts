import { randomBytes } from 'node:crypto';
import { TemplateRenderError } from './errors.ts';
import type { NunjucksExtension, NunjucksNodes, NunjucksParser } from './nunjucks-internals.ts';

/**
 * The chat roles a template can write blocks for.
 *
 * @example
 * {% system %}You are terse.{% endsystem %}{% user %}Hi{% enduser %}{% assistant %}Hello{% endassistant %}
 */
export const ROLE_TAGS = ['system', 'user', 'assistant'] as const;
export type RoleTag = (typeof ROLE_TAGS)[number];

/** A rendered chat message. */
export type PromptMessage = { role: 'user' | 'assistant'; content: string };

/** What a rendered template becomes: an optional system part and the messages in order. */
export type RoleOutput = { system?: string; messages: PromptMessage[] };

type Session = { nonce: string; entries: Array<{ role: RoleTag; content: string }>; depth: number };

/** Role blocks for one environment: the Nunjucks extension plus the per-render bookkeeping. */
export type RoleBlocks = {
  extension: NunjucksExtension;
  /** Runs a synchronous render with role capture on, and splits its output into chat parts. */
  capture(render: () => string): RoleOutput;
};

/**
 * The `{% system %}`, `{% user %}` and `{% assistant %}` block tags. Each block renders its body
 * and leaves an unguessable marker (a fresh random nonce per render) in the output; after the
 * render the output is split at the markers. Text outside any block belongs to the user. Values
 * substituted into a template cannot forge a marker, so user input can never open a system part.
 *
 * @example
 * const roles = createRoleBlocks();
 * env.addExtension('roles', roles.extension);
 * const { system, messages } = roles.capture(() => template.render(variables));
 */
export function createRoleBlocks(): RoleBlocks {
  let session: Session | undefined;

  function block(role: RoleTag, body: () => unknown): string {
    if (session === undefined)
      throw new TemplateRenderError(`{% ${role} %} rendered outside a registry render`);
    if (session.depth > 0)
      throw new TemplateRenderError(`{% ${role} %} cannot be nested inside another role block`);
    session.depth++;
    let content: string;
    try {
      content = String(body());
    } finally {
      session.depth--;
    }
    session.entries.push({ role, content });
    return `\u0000reins-role:${session.nonce}:${session.entries.length - 1}\u0000`;
  }

  const extension: NunjucksExtension = {
    tags: [...ROLE_TAGS],
    parse(parser: NunjucksParser, nodes: NunjucksNodes) {
      const token = parser.nextToken();
      const args = parser.parseSignature(null, true);
      if ((args.children ?? []).length > 0) {
        parser.fail(`{% ${token.value} %} takes no arguments`, token.lineno, token.colno);
      }
      parser.advanceAfterBlockEnd(token.value);
      const body = parser.parseUntilBlocks(`end${token.value}`);
      parser.advanceAfterBlockEnd();
      return new nodes.CallExtension!(extension, token.value, null, [body]);
    },
    system: (_context: unknown, body: () => unknown) => block('system', body),
    user: (_context: unknown, body: () => unknown) => block('user', body),
    assistant: (_context: unknown, body: () => unknown) => block('assistant', body),
  };

  return {
    extension,
    capture(render) {
      const current: Session = { nonce: randomBytes(16).toString('hex'), entries: [], depth: 0 };
      session = current;
      try {
        return splitRoles(render(), current);
      } finally {
        session = undefined;
      }
    },
  };
}

function splitRoles(output: string, session: Session): RoleOutput {
  const marker = new RegExp(`\u0000reins-role:${session.nonce}:(\\d+)\u0000`, 'g');
  const system: string[] = [];
  const messages: PromptMessage[] = [];
  const add = (role: RoleTag, text: string) => {
    // The nonce is unguessable, so only a marker mangled after rendering (say by `| upper`) leaves it behind.
    if (text.toLowerCase().includes(session.nonce)) {
      throw new TemplateRenderError('a role block was altered after rendering: output role blocks directly');
    }
    const content = text.trim();
    if (content === '') return;
    if (role === 'system') {
      system.push(content);
      return;
    }
    const last = messages.at(-1);
    if (last?.role === role) last.content += `\n\n${content}`;
    else messages.push({ role, content });
  };
  let position = 0;
  for (const match of output.matchAll(marker)) {
    add('user', output.slice(position, match.index));
    const entry = session.entries[Number(match[1])]!;
    add(entry.role, entry.content);
    position = match.index + match[0].length;
  }
  add('user', output.slice(position));
  return system.length > 0 ? { system: system.join('\n\n'), messages } : { messages };
}
