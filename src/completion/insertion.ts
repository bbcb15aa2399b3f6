// How a suggestion is inserted into the document: the model works in LF, the document may be CRLF.

/** Map the LF text of a suggestion to the document's line ending. */
export function toDocumentEol(text: string, eol: '\n' | '\r\n'): string {
  return eol === '\n' ? text : text.replace(/\r?\n/g, '\r\n');
}
