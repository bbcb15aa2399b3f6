import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isLoopbackHost, normaliseHost } from '../../src/settings/hostPolicy';

describe('normaliseHost', () => {
  const cases: [string, string][] = [
    ['http://127.0.0.1:11434', 'http://127.0.0.1:11434'],
    ['127.0.0.1', 'http://127.0.0.1:11434'],
    ['localhost', 'http://localhost:11434'],
    ['localhost:11434', 'http://localhost:11434'],
    ['http://localhost', 'http://localhost:11434'],
    ['https://ollama.example.com', 'https://ollama.example.com:11434'],
    ['  http://localhost:8080/  ', 'http://localhost:8080'],
    ['http://localhost:11434/api/generate', 'http://localhost:11434'],
    ['HTTP://LocalHost:9000', 'http://localhost:9000'],
    ['192.168.1.20:8000', 'http://192.168.1.20:8000'],
    ['[::1]', 'http://[::1]:11434'],
    ['[::1]:8080', 'http://[::1]:8080'],
    ['http://[::1]', 'http://[::1]:11434'],
    ['http://[::1]:11434', 'http://[::1]:11434'],
    ['http://user:1234@host', 'http://host:11434'],
  ];
  for (const [input, expected] of cases) {
    test(`${JSON.stringify(input)} → ${expected}`, () => assert.equal(normaliseHost(input), expected));
  }

  test('an explicit default port is kept (not replaced by 11434)', () => {
    assert.equal(normaliseHost('http://localhost:80'), 'http://localhost');
    assert.equal(normaliseHost('https://ollama.example.com:443'), 'https://ollama.example.com');
    assert.equal(normaliseHost('localhost:80'), 'http://localhost');
  });

  test('bad hosts throw', () => {
    for (const bad of ['', 'http://', 'ftp://localhost', 'file:///etc/passwd', 'http://[::1', 'http://a b']) {
      assert.throws(() => normaliseHost(bad), Error, JSON.stringify(bad));
    }
  });
});

describe('isLoopbackHost', () => {
  for (const host of ['localhost', 'http://localhost:11434', 'LOCALHOST', '127.0.0.1', 'http://127.0.0.1:11434',
    '127.1.2.3', 'https://127.255.255.254:8443', '[::1]', 'http://[::1]:11434', 'http://[0:0:0:0:0:0:0:1]']) {
    test(`loopback: ${host}`, () => assert.equal(isLoopbackHost(host), true));
  }

  for (const host of ['10.0.0.5', 'http://10.0.0.5:11434', '192.168.1.20', 'http://192.168.1.20:11434', 'example.com',
    'https://ollama.example.com', 'localhost.example.com', '127.0.0.1.nip.io', 'http://localhost@evil.example',
    '128.0.0.1', '0.0.0.0', 'http://[::2]']) {
    test(`not loopback: ${host}`, () => assert.equal(isLoopbackHost(host), false));
  }

  for (const host of ['', 'http://', 'ftp://localhost', 'http://[::1', '::1:11434:x', 'http://a b']) {
    test(`a bad URL is not loopback: ${JSON.stringify(host)}`, () => assert.equal(isLoopbackHost(host), false));
  }
});
