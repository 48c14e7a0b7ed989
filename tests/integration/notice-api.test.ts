import assert from 'node:assert/strict';
import { forEachEngine } from '../support/databases.ts';
import { createTestServer } from '../support/test-server.ts';

forEachEngine('notice API', (it) => {
  it('gives the office and leaders the compiled round with its notice; units and 三员 get 403, an unknown round 404', async (database) => {
    const server = await createTestServer(database);
    try {
      const office = await server.as('office');
      const planId = (await office.get('/api/plans')).body[0].id as number;
      const rounds = await office.get(`/api/plans/${planId}/rounds`);
      const roundId = rounds.body[0].id as number;

      const compiled = await office.get(`/api/rounds/${roundId}/compiled`);
      assert.equal(compiled.status, 200, JSON.stringify(compiled.body));
      assert.equal(compiled.body.notice.docNumber, '川环办发〔2017〕102号');
      assert.equal(compiled.body.fileBaseName, '川环办发〔2017〕102号-2017年第二季度工作推进情况通报');
      assert.equal(compiled.body.table.rows.length, 111);
      assert.equal(compiled.body.table.header.length, 7);

      assert.equal((await (await server.as('leader')).get(`/api/rounds/${roundId}/compiled`)).status, 200);
      for (const user of ['huanping', 'sysadmin', 'auditor'] as const)
        assert.equal((await (await server.as(user)).get(`/api/rounds/${roundId}/compiled`)).status, 403, user);
      const next = await office.get(`/api/rounds/${roundId}/notice/next-number?year=2017`);
      assert.equal(next.status, 200, JSON.stringify(next.body));
      assert.equal(next.body.docNumber, '川环办发〔2017〕103号');
      assert.equal((await office.get(`/api/rounds/${roundId}/notice/next-number?year=abc`)).status, 400, 'a year that is not a number is refused by the schema');
      assert.equal((await (await server.as('leader')).get(`/api/rounds/${roundId}/notice/next-number?year=2017`)).status, 403);
      const missing = await office.get('/api/rounds/999999/compiled');
      assert.equal(missing.status, 404);
      assert.equal(missing.body.error.code, 'round_not_found');
    } finally {
      await server.close();
    }
  });
});
