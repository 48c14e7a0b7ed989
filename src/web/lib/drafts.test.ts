import '../test-support/dom.ts';
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { startWithNoDrafts } from '../test-support/drafts.ts';
import { draftKey, readDraft, removeDraft, setDraftScope, stashText, unstashText, writeDraft } from './drafts.ts';

/** The local copies of what people typed (the answer box and free-text forms). */
describe('local drafts', () => {
  beforeEach(startWithNoDrafts);

  it('are kept per organisation: round 3 of a bureau is not round 3 of the department', () => {
    const department = draftKey(3, 5, 8);
    writeDraft(department, { text: '厅里的草稿', status: null, reason: null, baseVersion: 1 });
    setDraftScope('cd');
    const bureau = draftKey(3, 5, 8);
    assert.notEqual(bureau, department);
    assert.equal(readDraft(bureau), null);
    setDraftScope(null);
    assert.notEqual(draftKey(3, 5, 8), department, 'no session: a scope of its own');
  });

  it('come back with the time they were kept, and go when removed', () => {
    const key = draftKey(1, 2, 3);
    writeDraft(key, { text: '写到一半', status: 'delayed', reason: '资金未到位', baseVersion: 4, copiedFromPrevious: true });
    const draft = readDraft(key)!;
    assert.equal(draft.text, '写到一半');
    assert.equal(draft.baseVersion, 4);
    assert.equal(draft.copiedFromPrevious, true);
    assert.ok(!Number.isNaN(Date.parse(draft.savedAt)));
    removeDraft(key);
    assert.equal(readDraft(key), null);
  });

  it('read as none when the stored value is not one (another version of the app, a hand edit)', () => {
    window.localStorage.setItem(draftKey(1, 2, 3), '{not json');
    assert.equal(readDraft(draftKey(1, 2, 3)), null);
    window.localStorage.setItem(draftKey(1, 2, 4), JSON.stringify({ text: 42 }));
    assert.equal(readDraft(draftKey(1, 2, 4)), null);
  });

  it('never stop the typing when the storage refuses to keep them', () => {
    const storage = Object.getPrototypeOf(window.localStorage) as Storage;
    const setItem = storage.setItem;
    storage.setItem = () => {
      throw new DOMException('full', 'QuotaExceededError');
    };
    try {
      assert.doesNotThrow(() => writeDraft(draftKey(1, 2, 3), { text: '很长', status: null, reason: null, baseVersion: null }));
      assert.doesNotThrow(() => stashText('instruction', '批示'));
    } finally {
      storage.setItem = setItem;
    }
  });

  it('of a free-text form are removed once emptied, and per organisation too', () => {
    stashText('return-comment:7', '请补充佐证材料');
    assert.equal(unstashText('return-comment:7'), '请补充佐证材料');
    setDraftScope('cd');
    assert.equal(unstashText('return-comment:7'), '');
    setDraftScope('dept');
    stashText('return-comment:7', '');
    assert.equal(unstashText('return-comment:7'), '');
    assert.equal(window.localStorage.length, 0);
  });
});
