// Whether a document may be explained, and the path the prompt names it by. Pure: the command
// (vscode/explainCommand.ts) passes in what VS Code says about the document.

import { isExcluded } from '../settings/excludePolicy';
import { isDocumentScheme } from '../util/documentSchemes';
import { messageText } from '../util/untrustedText';

export interface ExplainDocument {
  /** The document URI's scheme. */
  readonly scheme: string;
  /** Its path as completions see it (documentPath.ts workspacePath): undefined for a new buffer. */
  readonly workspacePath: string | undefined;
  /** Its file name as VS Code gives it (`document.fileName`: `Untitled-1` for a new buffer). */
  readonly fileName: string;
}

/** The last segment of a path, `/` or `\` separated. */
function baseName(path: string): string {
  return path.split(/[\\/]/).filter((part) => part !== '').pop() ?? '';
}

/** An absolute path (`/…`, `\\server\…`, `C:…`): what workspacePath gives outside every folder. */
function isAbsolute(path: string): boolean {
  return /^([\\/]|[a-z]:)/i.test(path);
}

/**
 * The path the prompt and the panel name the document by: the workspace-relative path, or only the
 * file name for a document outside every workspace folder (its folders are nobody's business).
 */
export function explainPath(document: ExplainDocument): string {
  const path = document.workspacePath;
  if (path === undefined || isAbsolute(path)) return baseName(document.fileName) || 'untitled';
  return path.replace(/\\/g, '/');
}

/** Why the document is not explained (the warning shown), or undefined when it may be. */
export function explainRefusal(document: ExplainDocument, exclude: readonly string[]): string | undefined {
  if (!isDocumentScheme(document.scheme)) {
    return `Infill does not explain this document (${messageText(document.scheme)}:): it explains files, untitled buffers ` +
      'and notebook cells, as it completes them.';
  }
  if (document.workspacePath !== undefined && isExcluded(document.workspacePath, exclude)) {
    return `Infill does not explain ${messageText(baseName(document.workspacePath))}: it matches infill.exclude, ` +
      'and such files (secrets, keys) are never sent to the model.';
  }
  return undefined;
}
