import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { renderMarkdown, renderStreaming, sanitizeLanguage } from '../../src/explain/markdown';

const COPY = '<button class="copy" type="button" aria-label="Copy code">Copy</button>';

const TAGS = new Set([
  'p', 'br', 'em', 'strong', 's', 'code', 'pre', 'a', 'ul', 'ol', 'li', 'blockquote', 'hr',
  'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'div', 'button', 'span',
]);
const ATTRIBUTES = new Set(['class', 'href', 'data-link', 'type', 'aria-label', 'start']);
const TAG = /<(\/?)([a-z][a-z0-9]*)((?:\s+[a-z-]+="[^"<>]*")*)\s*>/g;

/** Every tag is allow-listed with allow-listed attributes, links are http(s), nothing else is markup. */
function assertSafe(html: string, label = html): void {
  assert.doesNotMatch(html, /<script/i, label);
  assert.doesNotMatch(html, /<[^>]*\son\w+=/i, label);
  assert.doesNotMatch(html, /<iframe/i, label);
  assert.doesNotMatch(html, /<img/i, label);
  assert.doesNotMatch(html, /(href|data-link)="\s*(javascript|vbscript|data|command|vscode|file):/i, label);
  for (const [, , name, attrs] of html.matchAll(TAG)) {
    assert.ok(TAGS.has(name), `tag <${name}> in ${label}`);
    for (const [, attr, value] of attrs.matchAll(/([a-z-]+)="([^"]*)"/g)) {
      assert.ok(ATTRIBUTES.has(attr), `attribute ${attr} in ${label}`);
      if (attr === 'href' || attr === 'data-link') assert.match(value, /^https?:\/\//, label);
      if (attr === 'class') assert.match(value, /^[a-z0-9 _+#-]+$/, label);
    }
  }
  const rest = html.replace(TAG, '');
  assert.ok(!rest.includes('<') && !rest.includes('>'), `stray markup in ${label}: ${rest}`);
}

function render(markdown: string): string {
  const html = renderMarkdown(markdown);
  assertSafe(html, markdown);
  assertSafe(renderStreaming(markdown), markdown);
  return html;
}

describe('renderMarkdown against hostile model output', () => {
  const cases: [string, string][] = [
    ['<script>alert(1)</script>', '<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n'],
    ['<img src=x onerror=alert(1)>', '<p>&lt;img src=x onerror=alert(1)&gt;</p>\n'],
    ['[x](javascript:alert(1))', '<p>x</p>\n'],
    ['[x](JAVASCRIPT:alert(1))', '<p>x</p>\n'],
    ['[x](&#106;avascript:alert(1))', '<p>x</p>\n'],
    ['[x](  javascript:alert(1) )', '<p>x</p>\n'],
    ['[x](command:workbench.action.quit)', '<p>x</p>\n'],
    ['[x](vscode:extension/evil.ext)', '<p>x</p>\n'],
    ['[x](file:///etc/passwd)', '<p>x</p>\n'],
    ['[x](data:text/html;base64,PHNjcmlwdD4=)', '<p>x</p>\n'],
    ['[x](./README.md)', '<p>x</p>\n'],
    ['[x](//evil.example/path)', '<p>x</p>\n'],
    ['[x](https://user:pw@evil.example/)', '<p>x</p>\n'],
    ['<iframe src="https://evil.example"></iframe>', '<p>&lt;iframe src=&quot;https://evil.example&quot;&gt;&lt;/iframe&gt;</p>\n'],
    ['<div onclick="alert(1)">hi</div>', '<p>&lt;div onclick=&quot;alert(1)&quot;&gt;hi&lt;/div&gt;</p>\n'],
    ['![remote](https://evil.example/x.png)', '<p>[image: remote]</p>\n'],
    ['![](https://evil.example/x.png)', '<p>[image]</p>\n'],
    ['![<b>x</b> *y*](https://evil.example/x.png)', '<p>[image: &lt;b&gt;x&lt;/b&gt; y]</p>\n'],
    ['[![logo](https://evil.example/x.png)](https://ok.example/)',
      '<p><a href="https://ok.example/" data-link="https://ok.example/">[image: logo]</a></p>\n'],
    ['<javascript:alert(1)>', '<p>javascript:alert(1)</p>\n'],
    ['<https://ok.example/a>', '<p><a href="https://ok.example/a" data-link="https://ok.example/a">https://ok.example/a</a></p>\n'],
    ['[a][r]\n\n[r]: javascript:alert(1)', '<p>a</p>\n'],
    ['[a][r]\n\n[r]: https://ok.example/?q="x"&y=<1>',
      '<p><a href="https://ok.example/?q=%22x%22&amp;y=%3C1%3E" data-link="https://ok.example/?q=%22x%22&amp;y=%3C1%3E">a</a></p>\n'],
    ['[ok](https://example.com/p "title")', '<p><a href="https://example.com/p" data-link="https://example.com/p">ok</a></p>\n'],
    ['https://example.com/bare', '<p>https://example.com/bare</p>\n'],
    ['```html\n<script>alert(1)</script>\n```',
      `<div class="code-block">${COPY}<pre><code class="hljs language-html"><span class="hljs-tag">&lt;<span class="hljs-name">script</span>&gt;</span>` +
      '<span class="language-javascript"><span class="hljs-title function_">alert</span>(<span class="hljs-number">1</span>)</span>' +
      '<span class="hljs-tag">&lt;/<span class="hljs-name">script</span>&gt;</span>\n</code></pre></div>\n'],
    ['```\n<img src=x onerror=alert(1)>\n```',
      `<div class="code-block">${COPY}<pre><code class="hljs">&lt;img src=x onerror=alert(1)&gt;\n</code></pre></div>\n`],
    ['```nosuchlang\n<b>"&"</b>\n```',
      `<div class="code-block">${COPY}<pre><code class="hljs language-nosuchlang">&lt;b&gt;&quot;&amp;&quot;&lt;/b&gt;\n</code></pre></div>\n`],
    ['```"><script>alert(1)</script>\nx\n```',
      `<div class="code-block">${COPY}<pre><code class="hljs language-scriptalert1script">x\n</code></pre></div>\n`],
    ["```js\" onmouseover=\"alert(1)\nx\n```",
      `<div class="code-block">${COPY}<pre><code class="hljs language-js">x\n</code></pre></div>\n`],
    ['`<script>`', '<p><code>&lt;script&gt;</code></p>\n'],
    ['    <script>alert(1)</script>',
      `<div class="code-block">${COPY}<pre><code class="hljs">&lt;script&gt;alert(1)&lt;/script&gt;\n</code></pre></div>\n`],
    ['<!-- x --><style>body{display:none}</style>', '<p>&lt;!-- x --&gt;&lt;style&gt;body{display:none}&lt;/style&gt;</p>\n'],
    ['&lt;script&gt; &#60;img&#62;', '<p>&lt;script&gt; &lt;img&gt;</p>\n'],
  ];
  for (const [markdown, html] of cases) {
    test(JSON.stringify(markdown), () => assert.equal(render(markdown), html));
  }

  test('table alignment becomes a class, never an inline style', () => {
    assert.equal(render('| a | b | c |\n|:-|:-:|-|\n| 1 | 2 | 3 |'),
      '<table>\n<thead>\n<tr>\n<th class="align-left">a</th>\n<th class="align-center">b</th>\n<th>c</th>\n</tr>\n</thead>\n' +
      '<tbody>\n<tr>\n<td class="align-left">1</td>\n<td class="align-center">2</td>\n<td>3</td>\n</tr>\n</tbody>\n</table>\n');
  });

  test('a typical answer uses only allow-listed tags', () => {
    const answer = [
      '## What it does', '', 'It **doubles** each _value_ and ~~mutates~~ returns a `list`.', '',
      '1. Reads the input', '2. Maps it', '', '- nested', '  - list', '', '> Note: see [docs](https://docs.python.org/3/).', '',
      '```python', 'def double(xs):', '    return [x * 2 for x in xs]', '```', '', '---', '', 'Line one  ', 'line two',
      '', '3. starts at three', '', '| col |', '|-----|', '| `x` |',
    ].join('\n');
    const html = render(answer);
    assert.match(html, /<h2>What it does<\/h2>/);
    assert.match(html, /<code class="hljs language-python"><span class="hljs-keyword">def<\/span>/);
    assert.match(html, /<a href="https:\/\/docs\.python\.org\/3\/" data-link="https:\/\/docs\.python\.org\/3\/">docs<\/a>/);
    assert.match(html, /<ol start="3">/);
  });

  test('every registered language highlights; aliases work; unknown ones are escaped plainly', () => {
    for (const lang of ['js', 'javascript', 'ts', 'typescript', 'python', 'py', 'java', 'c', 'cpp', 'c++', 'csharp', 'cs', 'c#',
      'go', 'rust', 'rs', 'bash', 'sh', 'json', 'yaml', 'yml', 'xml', 'html', 'css', 'sql', 'markdown', 'md', 'php', 'ruby', 'rb',
      'kotlin', 'kt', 'swift']) {
      const html = render('```' + lang + '\n<a x="1">\nif (a < b) { return "x"; } // 1\n```');
      assert.match(html, new RegExp(`<code class="hljs language-${lang.replace(/\+/g, '\\+')}">`), lang);
      assert.match(html, /<span class="hljs-/, lang);
    }
    assert.equal(render('```haskell\nmain = print 1\n```'),
      `<div class="code-block">${COPY}<pre><code class="hljs language-haskell">main = print 1\n</code></pre></div>\n`);
  });

  test('sanitizeLanguage keeps only [a-z0-9+#-]', () => {
    assert.equal(sanitizeLanguage('TypeScript'), 'typescript');
    assert.equal(sanitizeLanguage('c++ {.numberLines}'), 'c++');
    assert.equal(sanitizeLanguage('C#'), 'c#');
    assert.equal(sanitizeLanguage('"><script>'), 'script');
    assert.equal(sanitizeLanguage('&quot;x'), 'x');
    assert.equal(sanitizeLanguage(''), '');
    assert.equal(sanitizeLanguage('a'.repeat(100)).length, 32);
  });

  test('random mixes of hostile fragments stay inside the allow-list', () => {
    const fragments = [
      '<script>', '</script>', '<img src=x onerror=alert(1)>', '[x](javascript:alert(1))', '![a](https://e.x/i.png)',
      '```', '```"><svg onload=alert(1)>', '~~~', '    ', '\n', '\n\n', '> ', '- ', '1. ', '|a|\n|-|\n', '`', '**', '_',
      '<https://ok.example>', '<javascript:x>', '[r]: javascript:y\n', '[r]', '&#x3C;script&#x3E;', '"', "'", '\\', '<!--',
      '<a href="javascript:alert(1)">', '<svg><script>alert(1)</script>', 'javascript:alert(1)', 'text ', '#', '---\n',
    ];
    let seed = 12345;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % fragments.length;
    for (let i = 0; i < 400; i++) {
      let text = '';
      for (let j = 0; j < 12; j++) text += fragments[next()];
      render(text);
      for (let cut = 1; cut < text.length; cut += 7) assertSafe(renderStreaming(text.slice(0, cut)), text.slice(0, cut));
    }
  });
});

describe('renderStreaming', () => {
  test('an unclosed fence renders as a code block', () => {
    assert.equal(renderStreaming('Here:\n\n```ts\nconst a = 1;\nconst b'),
      `<p>Here:</p>\n<div class="code-block">${COPY}<pre><code class="hljs language-ts">` +
      '<span class="hljs-keyword">const</span> a = <span class="hljs-number">1</span>;\n<span class="hljs-keyword">const</span> b' +
      '</code></pre></div>\n');
  });

  test('a half-typed closing fence is not shown as code', () => {
    assert.equal(renderStreaming('```\nx\n``'), `<div class="code-block">${COPY}<pre><code class="hljs">x\n</code></pre></div>\n`);
  });

  test('a lone "-" or "=" under a paragraph does not flash a heading', () => {
    assert.equal(renderStreaming('Some text\n-'), '<p>Some text</p>\n');
    assert.equal(renderStreaming('Some text\n=='), '<p>Some text</p>\n');
    assert.equal(renderStreaming('Some text\n- item'), '<p>Some text</p>\n<ul>\n<li>item</li>\n</ul>\n');
    assert.equal(renderMarkdown('Some text\n-'), '<h2>Some text</h2>\n');
  });

  test('a half-written link is plain text, then a link', () => {
    assert.equal(renderStreaming('See [docs](https://exa'), '<p>See [docs](https://exa</p>\n');
    assert.equal(renderStreaming('See [docs](https://example.com)'),
      '<p>See <a href="https://example.com" data-link="https://example.com">docs</a></p>\n');
  });

  test('every prefix of a hostile answer renders safely', () => {
    const answer = 'Intro <b>x</b>\n\n```js\n</code></pre><script>alert(1)</script>\n```\n\n[y](javascript:alert(1)) ![i](https://e.x/i.png)\n';
    for (let i = 0; i <= answer.length; i++) assertSafe(renderStreaming(answer.slice(0, i)), answer.slice(0, i));
  });
});
