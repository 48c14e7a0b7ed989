import assert from 'node:assert/strict';
import { test } from 'node:test';
import { conflict, failed, forbidden, invalid, notFound, unavailable } from '../../domain/errors.ts';
import { AuthRequiredError, CsrfError, toErrorReply } from './errors.ts';

test('domain errors map to one status each, in the ErrorView envelope with their code and details', () => {
  assert.deepEqual(toErrorReply(invalid('answer_reason_required', '请填写原因', { field: 'reason' }), 'r1'), {
    status: 422,
    body: { error: { code: 'answer_reason_required', message: '请填写原因', details: { field: 'reason' } } },
  });
  assert.equal(toErrorReply(notFound('round_not_found', 'x'), 'r1').status, 404);
  assert.equal(toErrorReply(forbidden('forbidden_unit', 'x'), 'r1').status, 403);
  assert.equal(toErrorReply(conflict('answer_stale', 'x'), 'r1').status, 409);
  assert.equal(toErrorReply(unavailable('pdf_unavailable', 'x'), 'r1').status, 503);
  assert.deepEqual(toErrorReply(failed('pdf_failed', 'x', { exitCode: 1 }), 'r1'), {
    status: 500,
    body: { error: { code: 'pdf_failed', message: 'x', details: { exitCode: 1 } } },
  });
  assert.deepEqual(toErrorReply(notFound('round_not_found', 'x'), 'r1').body, { error: { code: 'round_not_found', message: 'x' } }, 'no empty details');
  assert.equal(toErrorReply(new AuthRequiredError(), 'r1').status, 401);
  assert.equal(toErrorReply(new CsrfError(), 'r1').body.error.code, 'csrf_failed');
});

test('an unexpected error is 500 with the request id and no internals', () => {
  const reply = toErrorReply(new Error('SELECT * FROM users exploded at /srv/x.ts:3'), 'req-42');
  assert.equal(reply.status, 500);
  assert.equal(reply.body.error.code, 'internal_error');
  assert.deepEqual(reply.body.error.details, { requestId: 'req-42' });
  assert.doesNotMatch(JSON.stringify(reply.body), /SELECT|\/srv/);
});
