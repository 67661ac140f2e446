import type { Queryable } from '../../../shared/db/tx.js';

/** Postal address as stored: the KTP or domicile address in columns, others as JSON. */
export interface StoredAddress {
  line: string;
  provinceCode: string;
  cityCode: string;
  districtCode: string;
  postalCode: string;
}

/** investor_individual as written: `*Enc` values are already sealed (pii.ts), hashes computed. */
export interface IndividualRow {
  nikEnc: string;
  nikHash: string;
  npwpEnc: string | null;
  npwpHash: string | null;
  birthPlace: string;
  birthDate: string;
  gender: string;
  motherMaidenNameEnc: string;
  nationality: string;
  religion: string;
  maritalStatus: string;
  education: string;
  occupation: string;
  employer: string | null;
  annualIncome: string;
  sourceOfFunds: string;
  investmentObjective: string;
  address: StoredAddress;
  correspondenceAddress: StoredAddress | null;
  beneficialOwner: unknown;
  fatcaUsPerson: boolean;
  usTinEnc: string | null;
}

export async function insertIndividual(q: Queryable, investorId: string, companyId: number, r: IndividualRow): Promise<void> {
  await q.query(
    `insert into investor_individual (investor_id, company_id, nik_enc, nik_hash, npwp_enc, npwp_hash, birth_place, birth_date,
        gender, mother_maiden_name_enc, nationality, religion, marital_status, education, occupation, employer, annual_income,
        source_of_funds, investment_objective, address_line, province_code, city_code, district_code, postal_code,
        correspondence_address, beneficial_owner, fatca_us_person, us_tin_enc)
     values ($1::uuid, $2::bigint, $3::text, $4::text, $5::text, $6::text, $7::text, $8::date, $9::text, $10::text, $11::text,
        $12::text, $13::text, $14::text, $15::text, $16::text, $17::text, $18::text, $19::text, $20::text, $21::text, $22::text,
        $23::text, $24::text, $25::jsonb, $26::jsonb, $27::boolean, $28::text)`,
    [
      investorId, companyId, r.nikEnc, r.nikHash, r.npwpEnc, r.npwpHash, r.birthPlace, r.birthDate, r.gender, r.motherMaidenNameEnc,
      r.nationality, r.religion, r.maritalStatus, r.education, r.occupation, r.employer, r.annualIncome, r.sourceOfFunds,
      r.investmentObjective, r.address.line, r.address.provinceCode, r.address.cityCode, r.address.districtCode, r.address.postalCode,
      r.correspondenceAddress && JSON.stringify(r.correspondenceAddress), JSON.stringify(r.beneficialOwner), r.fatcaUsPerson, r.usTinEnc,
    ],
  );
}

export interface InstitutionalRow {
  legalForm: string;
  npwpEnc: string;
  npwpHash: string;
  nib: string;
  deedNumber: string;
  deedDate: string;
  establishedPlace: string;
  establishedDate: string;
  lineOfBusiness: string;
  address: StoredAddress;
  totalAssets: string;
  sourceOfFunds: string;
  investmentObjective: string;
  contactPerson: unknown;
  ultimateBeneficialOwner: unknown;
}

export async function insertInstitutional(q: Queryable, investorId: string, companyId: number, r: InstitutionalRow): Promise<void> {
  await q.query(
    `insert into investor_institutional (investor_id, company_id, legal_form, npwp_enc, npwp_hash, nib, deed_number, deed_date,
        established_place, established_date, line_of_business, address_line, province_code, city_code, district_code, postal_code,
        total_assets, source_of_funds, investment_objective, contact_person, ultimate_beneficial_owner)
     values ($1::uuid, $2::bigint, $3::text, $4::text, $5::text, $6::text, $7::text, $8::date, $9::text, $10::date, $11::text,
        $12::text, $13::text, $14::text, $15::text, $16::text, $17::text, $18::text, $19::text, $20::jsonb, $21::jsonb)`,
    [
      investorId, companyId, r.legalForm, r.npwpEnc, r.npwpHash, r.nib, r.deedNumber, r.deedDate, r.establishedPlace, r.establishedDate,
      r.lineOfBusiness, r.address.line, r.address.provinceCode, r.address.cityCode, r.address.districtCode, r.address.postalCode,
      r.totalAssets, r.sourceOfFunds, r.investmentObjective, JSON.stringify(r.contactPerson), JSON.stringify(r.ultimateBeneficialOwner),
    ],
  );
}

export interface AuthorizedPersonRow {
  name: string;
  title: string;
  nikEnc: string;
  nikHash: string;
  nikLast4: string;
  phone: string;
  email: string;
}

export async function insertAuthorizedPersons(q: Queryable, investorId: string, companyId: number, people: AuthorizedPersonRow[]): Promise<void> {
  await q.query(
    `insert into investor_authorized_person (investor_id, company_id, name, title, nik_enc, nik_hash, nik_last4, phone, email)
     select $1::uuid, $2::bigint, p.name, p.title, p.nik_enc, p.nik_hash, p.nik_last4, p.phone, p.email
       from jsonb_to_recordset($3::jsonb) as p (name text, title text, nik_enc text, nik_hash text, nik_last4 text, phone text, email text)`,
    [investorId, companyId, JSON.stringify(people.map((p) => ({ name: p.name, title: p.title, nik_enc: p.nikEnc, nik_hash: p.nikHash, nik_last4: p.nikLast4, phone: p.phone, email: p.email })))],
  );
}

/** Removes an investor's KYC detail rows before a corrected KYC replaces them (each delete is audited). */
export async function deleteKyc(q: Queryable, investorId: string): Promise<void> {
  await q.query(
    `with individual as (delete from investor_individual where investor_id = $1::uuid),
          institutional as (delete from investor_institutional where investor_id = $1::uuid),
          authorized as (delete from investor_authorized_person where investor_id = $1::uuid)
     delete from investor_bank_account where investor_id = $1::uuid`,
    [investorId],
  );
}

/** The sealed values of one investor, for the audited reveal. */
export interface SealedKyc {
  nikEnc: string | null;
  npwpEnc: string | null;
  motherMaidenNameEnc: string | null;
  usTinEnc: string | null;
  institutionNpwpEnc: string | null;
  authorizedPersons: { id: number; name: string; nikEnc: string }[];
}

export async function findSealedKyc(q: Queryable, investorId: string): Promise<SealedKyc> {
  const { rows } = await q.query<{
    nik_enc: string | null; npwp_enc: string | null; mother_maiden_name_enc: string | null; us_tin_enc: string | null;
    institution_npwp_enc: string | null; authorized: { id: number; name: string; nik_enc: string }[];
  }>(
    `select ind.nik_enc, ind.npwp_enc, ind.mother_maiden_name_enc, ind.us_tin_enc, ins.npwp_enc as institution_npwp_enc,
            coalesce((select jsonb_agg(jsonb_build_object('id', p.id, 'name', p.name, 'nik_enc', p.nik_enc) order by p.id)
                        from investor_authorized_person p where p.investor_id = $1::uuid), '[]'::jsonb) as authorized
       from (select $1::uuid as id) as i
       left join investor_individual ind on ind.investor_id = i.id
       left join investor_institutional ins on ins.investor_id = i.id`,
    [investorId],
  );
  const r = rows[0]!;
  return {
    nikEnc: r.nik_enc,
    npwpEnc: r.npwp_enc,
    motherMaidenNameEnc: r.mother_maiden_name_enc,
    usTinEnc: r.us_tin_enc,
    institutionNpwpEnc: r.institution_npwp_enc,
    authorizedPersons: r.authorized.map((p) => ({ id: Number(p.id), name: p.name, nikEnc: p.nik_enc })),
  };
}

/** Audit entry for a read of full sensitive values (app.audit_reveal; the app role cannot write the trail). */
export async function recordReveal(q: Queryable, investorId: string, companyId: number, fields: string[]): Promise<void> {
  await q.query(`select app.audit_reveal('investor', $1::text, $2::bigint, $3::text[])`, [investorId, companyId, fields]);
}
