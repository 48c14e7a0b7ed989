import assert from 'node:assert/strict';
import { forEachEngine } from '../../../tests/support/databases.ts';
import { holdConnection, preparedQuery } from './prepared.ts';

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

const addUnit = preparedQuery((db, args: { name: string }) =>
  db.insertInto('units').values({ name: args.name, created_at: '2026-01-01T00:00:00Z', phone: '1' }),
);
const setPhone = preparedQuery((db, args: { phone: string; prefix: string }) =>
  db.updateTable('units').set({ phone: args.phone }).where('name', 'like', args.prefix),
);

const renameUnit = preparedQuery((db, args: { id: number; name: string }) =>
  db.updateTable('units').set({ name: args.name }).where('id', '=', args.id).returning(['id', 'name']),
);

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
    const shaped = preparedQuery((kysely, args: { all: boolean }) =>
      kysely
        .selectFrom('units')
        .select('name')
        .$if(Boolean(args.all), (query) => query.limit(1)),
    );
    await assert.rejects(() => shaped.execute(db, { all: false }), /argument all is not a bound parameter of the query: select/);
  });

  it("on a held transaction runs on its connection, past kysely's executor, with the same results; after release through kysely again", async ({ db }) => {
    const trx = await db.startTransaction().execute();
    const executor = trx.getExecutor();
    const provide = executor.provideConnection.bind(executor);
    let provided = 0;
    executor.provideConnection = (consumer) => {
      provided += 1;
      return provide(consumer);
    };
    try {
      const viaKysely = {
        insert: await addUnit.execute(trx, { name: '法规处' }),
        update: await setPhone.execute(trx, { phone: '2', prefix: '法规%' }),
        select: await unitsNamed.execute(trx, { prefix: '法规%', limit: 5 }),
      };
      assert.equal(provided, 3, 'not held: every query passes the executor');

      const held = await holdConnection(trx);
      provided = 0;
      const direct = {
        insert: await addUnit.execute(trx, { name: '法规二处' }),
        update: await setPhone.execute(trx, { phone: '3', prefix: '法规%' }),
        select: await unitsNamed.execute(trx, { prefix: '法规%', limit: 5 }),
      };
      assert.equal(provided, 0, 'held: prepared queries skip the executor');
      // Queries built the usual way still go through it, and still get the connection.
      assert.equal((await trx.selectFrom('units').select('name').where('name', 'like', '法规%').execute()).length, 2);
      assert.equal(provided, 1);

      assert.equal(viaKysely.insert.numAffectedRows, 1n);
      assert.equal(direct.insert.numAffectedRows, 1n);
      assert.equal(typeof direct.insert.insertId, typeof viaKysely.insert.insertId);
      assert.equal(viaKysely.update.numAffectedRows, 1n);
      assert.equal(direct.update.numAffectedRows, 2n, 'both 法规 units');
      assert.deepEqual(
        viaKysely.select.rows.map((row) => row.name),
        ['法规处'],
      );
      assert.deepEqual(direct.select.rows.map((row) => row.name).sort(), ['法规二处', '法规处'].sort());
      assert.deepEqual(Object.keys(direct.select.rows[0]!), Object.keys(viaKysely.select.rows[0]!), 'rows of the same shape');

      held.release();
      provided = 0;
      await unitsNamed.execute(trx, { prefix: '法规%', limit: 5 });
      assert.equal(provided, 1, 'released: through the executor again');
    } finally {
      await trx.rollback().execute();
    }
    assert.deepEqual((await unitsNamed.execute(db, { prefix: '法规%', limit: 5 })).rows, [], 'the direct writes rolled back with the transaction');
  });
});
