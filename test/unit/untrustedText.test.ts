import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { labelText, messageText } from '../../src/util/untrustedText';
import {
  errorMessage, missingModelMessage, modelReadyMessage, pullFailedMessage, pullProgressMessage, pullTitle, unreachableMessage,
} from '../../src/completion/noticeMessages';
import { HOSTILE, notificationLinks } from '../support/notificationLinks';

const J = '\u2060';

describe('messageText', () => {
  test('the hostile text is a link as it is, and is not one once neutralised', () => {
    assert.deepEqual(notificationLinks(`Infill: ${HOSTILE}`), ['command:workbench.action.quit']);
    assert.deepEqual(notificationLinks(`Infill: ${messageText(HOSTILE)}`), []);
  });

  test('reads as written: only an invisible word joiner after each ]', () => {
    assert.equal(messageText(HOSTILE), `[x]${J}(command:workbench.action.quit)`);
    assert.equal(messageText(HOSTILE).replaceAll(J, ''), HOSTILE);
    assert.equal(messageText('codellama:7b-code (q4) <b> `x` \\n'), 'codellama:7b-code (q4) <b> `x` \\n');
  });

  for (const hostile of [
    '[a](https://evil.example/x)', '[a](http://evil.example)', '[a](file:///etc/passwd)', '[a](COMMAND:x)',
    '[a](command:x "title")', '[[a]](command:x)', '[a]](command:x)', 'a [b] [c](command:x?%5B%22y%22%5D)',
  ]) {
    test(`no link survives: ${hostile}`, () => {
      assert.deepEqual(notificationLinks(messageText(hostile)), []);
      assert.equal(messageText(hostile).replaceAll(J, ''), hostile);
    });
  }
});

describe('labelText', () => {
  test('$( is escaped, so a quick pick shows it instead of an icon', () => {
    assert.equal(labelText('$(trash) model'), '\\$(trash) model');
    assert.equal(labelText('codellama:7b-code'), 'codellama:7b-code');
  });
});

describe('the completion notifications', () => {
  test('an error state: the message shows literally, no link', () => {
    const shown = errorMessage(`${HOSTILE} 34b cannot be used`);
    assert.equal(shown, `Infill: [x]${J}(command:workbench.action.quit) 34b cannot be used`);
    assert.deepEqual(notificationLinks(shown), []);
  });

  test('every message and button with a model, host or server text in it', () => {
    const texts = [
      unreachableMessage(HOSTILE), missingModelMessage(HOSTILE).message, missingModelMessage(HOSTILE).pull,
      modelReadyMessage(HOSTILE), pullTitle(HOSTILE), pullProgressMessage(5, '', HOSTILE),
      pullFailedMessage(HOSTILE, HOSTILE),
    ];
    for (const text of texts) {
      assert.deepEqual(notificationLinks(text), [], text);
      assert.ok(text.replaceAll(J, '').includes(HOSTILE), text);
    }
    assert.equal(missingModelMessage(HOSTILE).pull, `Pull [x]${J}(command:workbench.action.quit)`);
    assert.equal(pullFailedMessage('codellama:7b-code', 'pull model manifest: file does not exist'),
      'Could not pull codellama:7b-code: pull model manifest: file does not exist');
    assert.equal(pullProgressMessage(42, ' — 1 GB of 2 GB', 'pulling abc'), '42% — 1 GB of 2 GB (pulling abc)');
  });
});
