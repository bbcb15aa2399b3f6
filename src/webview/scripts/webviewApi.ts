// What a webview's script gets from VS Code, typed: `acquireVsCodeApi` (callable once per page)
// posting only the messages of the panel's protocol, and `byId` for the panel's fixed markup.

export interface WebviewApi<Out, State> {
  postMessage(message: Out): void;
  getState(): State | undefined;
  setState(state: State): void;
}

// Provided by VS Code as a global in every webview.
declare function acquireVsCodeApi(): WebviewApi<unknown, unknown>;

export function webviewApi<Out, State = never>(): WebviewApi<Out, State> {
  return acquireVsCodeApi() as WebviewApi<Out, State>;
}

/** An element of the panel's skeleton (html built by the extension), by id. */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  return document.getElementById(id) as T;
}
