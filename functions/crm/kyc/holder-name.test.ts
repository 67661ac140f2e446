import { strict as assert } from 'node:assert';
import { holderNameMatches, normaliseName } from './holder-name.js';

describe('crm kyc holder name', () => {
  const normalised: [string, string][] = [
    ['BUDI SANTOSO', 'budi santoso'],
    ['  Budi   Santoso  ', 'budi santoso'],
    ['José Ramírez', 'jose ramirez'],
    ["Muh. Ma'ruf", 'muh maruf'],
    ['Muh.Ma’ruf', 'muh maruf'],
    ['Siti-Nurhaliza', 'siti nurhaliza'],
    ['Bapak Budi Santoso', 'budi santoso'],
    ['Bpk. Budi Santoso', 'budi santoso'],
    ['Pak Budi', 'budi'],
    ['Ibu Siti Rahayu', 'siti rahayu'],
    ['Bu Siti', 'siti'],
    ['Sdr. Andi', 'andi'],
    ['Sdri Rina', 'rina'],
    ['Tn. Andi Wijaya', 'andi wijaya'],
    ['Ny. Rina Wijaya', 'rina wijaya'],
    ['Nn Rina', 'rina'],
    ['H. Ahmad Subarjo', 'ahmad subarjo'],
    ['Hj. Siti Aminah', 'siti aminah'],
    ['Dr. Ir. H. Budi Santoso, M.B.A.', 'budi santoso'],
    ['Prof. Dr. Budi, Ph.D.', 'budi'],
    ['Drs. Budi Santoso', 'budi santoso'],
    ['Dra Siti Rahayu', 'siti rahayu'],
    ['Budi Santoso, S.E., M.M.', 'budi santoso'],
    ['Budi Santoso S.E. M.M.', 'budi santoso'],
    ['BUDI SANTOSO SE MM', 'budi santoso'],
    ['Budi Santoso, S. E.', 'budi santoso'],
    ['Budi Santoso, S.H.', 'budi santoso'],
    ['Siti Rahayu, S.Kom', 'siti rahayu'],
    ['Andi Wijaya, S.T., M.T.', 'andi wijaya'],
    ['Andi Wijaya, MBA', 'andi wijaya'],
    ['Mr. John Smith', 'john smith'],
    ['Mrs Jane Smith', 'jane smith'],
    ['Ms. Jane Smith', 'jane smith'],
    // Middle initials and names that look like titles stay.
    ['Budi H. Santoso', 'budi h santoso'],
    ['Budi Santoso H.', 'budi santoso h'],
    ['Ma Ying', 'ma ying'],
    ['Ying Ma', 'ying ma'],
    ['Ying, M.A.', 'ying'],
    // Institutions
    ['PT. Maju Jaya Tbk', 'maju jaya'],
    ['PT Maju Jaya (Persero) Tbk', 'maju jaya'],
    ['P.T. Maju Jaya', 'maju jaya'],
    ['MAJU JAYA, PT', 'maju jaya'],
    ['CV Sumber Rejeki', 'sumber rejeki'],
    ['PT Tiga Dua 32', 'tiga dua 32'],
    ['Ibu', ''],
    ['', ''],
  ];
  for (const [name, bare] of normalised) {
    it(`normaliseName(${JSON.stringify(name)}) is ${JSON.stringify(bare)}`, () => assert.equal(normaliseName(name), bare));
  }

  const matches: [string, string, boolean][] = [
    ['BUDI SANTOSO', 'Budi Santoso', true],
    ['BUDI SANTOSO SE', 'Bapak Budi Santoso, S.E.', true],
    ['H AHMAD SUBARJO', 'Ahmad Subarjo', true],
    ['DR IR BUDI SANTOSO MBA', 'Budi Santoso', true],
    ['JOSE RAMIREZ', 'José Ramírez', true],
    ['SANTOSO BUDI', 'Budi Santoso', true],
    ['MAJU JAYA', 'PT. Maju Jaya Tbk', true],
    ['PT MAJU JAYA TBK', 'Maju Jaya', true],
    ['BUDI SANTOSA', 'Budi Santoso', false],
    ['BUDI', 'Budi Santoso', false],
    ['BUDI SANTOSO WIJAYA', 'Budi Santoso', false],
    ['BUDI H SANTOSO', 'Budi Santoso', false],
    ['PT MAJU JAYA ABADI', 'PT Maju Jaya', false],
    ['IBU', 'Ibu', false],
    ['', '', false],
  ];
  for (const [holder, investor, ok] of matches) {
    it(`holder ${JSON.stringify(holder)} ${ok ? 'matches' : 'does not match'} ${JSON.stringify(investor)}`, () => {
      assert.equal(holderNameMatches(holder, investor), ok);
    });
  }
});
