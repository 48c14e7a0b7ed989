import assert from 'node:assert/strict';
import { forEachEngine } from '../../../tests/support/databases.ts';
import { preparedQuery } from './prepared.ts';

const unitsNamed = preparedQuery((db, args: { prefix: string; limit: number }) =>
  db
    .selectFrom('units')
    .select(['id', 'name'])
    // A constant of the query between two arguments: it must stay in its place.
    .where('phone', '<>', '0000')
    .where('name', 'like', args.prefix)
    .orderBy('name')
    .limit(args.limit),
);

const renameUnit = preparedQuery((db, args: { id: number; name: string }) => db.updateTable('units').set({ name: args.name }).where('id', '=', args.id).returning(['id', 'name']));

forEachEngine('preparedQuery', (it) => {
  it('runs with new values each time, constants kept, in and out of transactions', async ({ db }) => {
    await db
      .insertInto('units')
      .values(['环评处', '环评二处', '水处', '大气处'].map((name) => ({ name, created_at: '2026-01-01T00:00:00Z', phone: name === '水处' ? '0000' : '1' })))
      .execute();

    assert.deepEqual(
      (await unitsNamed.execute(db, { prefix: '环评%', limit: 10 })).rows.map((row) => row.name),
      ['环评二处', '环评处'].sort(),
    );
    assert.deepEqual(
      (await unitsNamed.execute(db, { prefix: '环评%', limit: 1 })).rows.map((row) => row.name),
      ['环评二处', '环评处'].sort().slice(0, 1),
    );
    // 水处's phone is the constant the query excludes.
    assert.deepEqual((await unitsNamed.execute(db, { prefix: '水%', limit: 10 })).rows, []);

    const [daqi] = (await unitsNamed.execute(db, { prefix: '大气%', limit: 10 })).rows;
    assert.ok(daqi);
    await db.transaction().execute(async (trx) => {
      assert.deepEqual((await renameUnit.execute(trx, { id: daqi.id, name: '大气环境处' })).rows, [{ id: daqi.id, name: '大气环境处' }]);
      assert.deepEqual((await unitsNamed.execute(trx, { prefix: '大气%', limit: 10 })).rows, [{ id: daqi.id, name: '大气环境处' }]);
    });
    const none = await renameUnit.execute(db, { id: -1, name: 'nobody' });
    assert.deepEqual(none.rows, []);
  });

  it('refuses a query that uses an argument for anything but a bound value', async ({ db }) => {
    // The argument chose the shape instead of being bound: the compiled SQL never sees it.
    const shaped = preparedQuery((kysely, args: { all: boolean }) => kysely.selectFrom('units').select('name').$if(Boolean(args.all), (query) => query.limit(1)));
    await assert.rejects(() => shaped.execute(db, { all: false }), /argument all is not a bound parameter of the query: select/);
  });
});
