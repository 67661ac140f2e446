import { strict as assert } from 'node:assert';
import { request } from '../../../test/support/http.js';

describe('crm master data', () => {
  it('GET /crm/banks lists 40+ Indonesian banks with clearing codes', async () => {
    const res = await request('crm').get('/crm/banks').expect(200);
    assert.match(String(res.headers['content-type']), /application\/json/);
    assert.equal(res.headers['cache-control'], 'public, max-age=3600');
    assert.ok(res.body.items.length >= 40, `only ${res.body.items.length} banks`);
    const bca = res.body.items.find((b: { code: string }) => b.code === '014');
    assert.equal(bca.shortName, 'BCA');
    for (const b of res.body.items) assert.match(b.code, /^\d{3}$/);
  });

  it('GET /crm/locations lists the 38 provinces', async () => {
    const res = await request('crm').get('/crm/locations?level=province').expect(200);
    assert.equal(res.body.items.length, 38);
    assert.deepEqual(
      res.body.items.find((p: { code: string }) => p.code === '31'),
      { code: '31', name: 'DKI Jakarta', parentCode: null },
    );
    const implicit = await request('crm').get('/crm/locations').expect(200);
    assert.equal(implicit.body.items.length, 38);
  });

  it('GET /crm/locations nests cities under provinces and districts under cities', async () => {
    const cities = await request('crm').get('/crm/locations?level=city&parent=31').expect(200);
    assert.ok(cities.body.items.some((c: { code: string; name: string }) => c.code === '31.71' && /Jakarta Pusat/.test(c.name)));
    for (const c of cities.body.items) assert.equal(c.parentCode, '31');
    const districts = await request('crm').get('/crm/locations?level=district&parent=31.71').expect(200);
    assert.ok(districts.body.items.length > 0);
    for (const d of districts.body.items) assert.match(d.code, /^31\.71\.\d{2}$/);
  });
});
