import { readFile } from 'node:fs/promises';
import nunjucks from 'nunjucks';
import type { ExtensionProblem } from '../problems.js';
import { ensureJinjaCompat, templateErrorPosition, templateErrorReason } from '../templates/template-env.js';
import { entryNameProblem } from '../tree/entry-name.js';
import type { TreeEntry } from '../tree/walk-tree.js';

interface TemplateRefNode {
  typename: string;
  lineno: number;
  colno: number;
  template: { typename: string; value?: unknown };
  /** `{% include "x.j2" ignore missing %}` */
  ignoreMissing?: boolean;
}

interface ParsedNode {
  findAll(type: unknown): TemplateRefNode[];
}

const nodes = (nunjucks as unknown as { nodes: Record<string, unknown> }).nodes;
const parser = (nunjucks as unknown as { parser: { parse(src: string): ParsedNode } }).parser;
const REFERENCE_NODES = ['Include', 'Import', 'FromImport', 'Extends'].map((name) => nodes[name]);

/**
 * Every `templates/**.j2` must parse as a Jinja2 template (nunjucks grammar) and every literal
 * `{% include %}`, `{% import %}`, `{% from … import %}` and `{% extends %}` target must exist under
 * `templates/`. Dynamic targets (`{% include name %}`) cannot be checked statically.
 */
export async function checkTemplates(entries: TreeEntry[]): Promise<ExtensionProblem[]> {
  ensureJinjaCompat();
  const problems: ExtensionProblem[] = [];
  const templateFiles = new Set(
    entries.filter((e) => e.type === 'file' && e.path.startsWith('templates/')).map((e) => e.path.slice(10)),
  );
  for (const entry of templateEntries(entries)) {
    const source = await readFile(entry.absolutePath, 'utf8');
    let ast: ParsedNode;
    try {
      ast = parser.parse(source);
    } catch (error) {
      problems.push({
        path: entry.path,
        ...templateErrorPosition(error),
        message: `template syntax: ${templateErrorReason(error)}`,
      });
      continue;
    }
    for (const type of REFERENCE_NODES) {
      for (const node of ast.findAll(type)) {
        if (node.template.typename !== 'Literal' || typeof node.template.value !== 'string') continue;
        if (node.ignoreMissing) continue;
        const target = node.template.value;
        const keyword = node.typename === 'FromImport' ? 'from' : node.typename.toLowerCase();
        const position = { line: node.lineno + 1, column: node.colno + 1 };
        if (entryNameProblem(target) !== undefined) {
          problems.push({
            path: entry.path,
            ...position,
            message: `${keyword} target "${target}" is not a path inside templates/`,
          });
        } else if (!templateFiles.has(target)) {
          problems.push({
            path: entry.path,
            ...position,
            message: `${keyword} target "${target}" does not exist in templates/`,
          });
        }
      }
    }
  }
  return problems;
}

export function templateEntries(entries: TreeEntry[]): TreeEntry[] {
  return entries.filter(
    (e) => e.type === 'file' && e.path.startsWith('templates/') && e.path.endsWith('.j2'),
  );
}
