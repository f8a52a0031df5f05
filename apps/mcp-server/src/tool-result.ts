import { isProvisioningError } from '@provisioning/schemas';

/** What an MCP tool returns: the structured output plus the same JSON as text for older clients. */
export interface ToolResult {
  [key: string]: unknown;
  content: { type: 'text'; text: string }[];
  structuredContent?: Record<string, unknown>;
  isError?: boolean;
}

export function toolOutput(output: Record<string, unknown>): ToolResult {
  return { content: [{ type: 'text', text: JSON.stringify(output, null, 2) }], structuredContent: output };
}

/**
 * A failed call: `CODE: one line` from the error catalogue, never a stack (the assistant shows it
 * to a person). Errors that are not ours are reported as INTERNAL with their first line.
 */
export function toolError(error: unknown): ToolResult {
  const code = isProvisioningError(error) ? error.code : 'INTERNAL';
  const message = error instanceof Error ? error.message : String(error);
  const line = `${code}: ${message.split('\n')[0]}`;
  const hint = isProvisioningError(error) && error.hint ? ` (${error.hint})` : '';
  return { content: [{ type: 'text', text: line + hint }], isError: true };
}

/** Runs a tool body; any throw becomes a catalogue error result. */
export async function guarded(body: () => Promise<Record<string, unknown>>): Promise<ToolResult> {
  try {
    return toolOutput(await body());
  } catch (error) {
    return toolError(error);
  }
}
