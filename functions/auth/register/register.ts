import { withTransaction } from '../../../shared/db/tx.js';
import { AppError } from '../../../shared/errors.js';
import { enforceLimits } from '../../../shared/rate-limit.js';
import { hashPassword } from '../passwords/password-hasher.js';
import { assertPasswordAcceptable } from '../passwords/password-policy.js';
import { insertUser } from '../users/user.repo.js';
import { asIdentifierTaken, assertIdentifiersFree } from '../users/unique-violation.js';
import { seeDevice } from '../devices/device.repo.js';
import { issueOtp, type OtpView } from '../otp/issue-otp.js';
import { activeCompany } from '../companies/company.repo.js';

export interface RegisterOptions {
  companyId: number;
  fullname: string;
  email: string;
  phone: string;
  password: string;
  deviceId: string;
  platform?: 'ANDROID' | 'IOS' | 'WEB';
  deviceName?: string;
  locale?: 'id' | 'en';
  licence?: { number: string; expiresOn: string };
  ip: string | null;
}

export interface RegisterResult {
  userId: number;
  status: 'PENDING_VERIFICATION';
  otp: OtpView;
}

/**
 * An RM agent signs up into an active company: the account waits for the phone to be confirmed by SMS
 * (PENDING_VERIFICATION), then for an admin (PENDING_APPROVAL). The registering device becomes trusted
 * when the code is verified.
 */
export async function register(o: RegisterOptions): Promise<RegisterResult> {
  await enforceLimits([
    { name: 'register:ip', subject: o.ip, windowSeconds: 3600, limit: 20 },
    { name: 'register:phone', subject: o.phone, windowSeconds: 3600, limit: 5 },
  ]);
  const company = await activeCompany(o.companyId);
  if (!company) throw new AppError('COMPANY_UNAVAILABLE', { errors: [{ field: 'companyId', message: 'No active company with this id' }] });
  await assertPasswordAcceptable(o.password, { email: o.email, phone: o.phone, fullname: o.fullname });
  await assertIdentifiersFree(o.email, o.phone);
  const passwordHash = await hashPassword(o.password);
  try {
    return await withTransaction({ companyIds: [company.id], ip: o.ip }, async (tx) => {
      const userId = await insertUser(tx, {
        companyId: company.id,
        fullname: o.fullname,
        email: o.email,
        phone: o.phone,
        role: 'RM_AGENT',
        status: 'PENDING_VERIFICATION',
        passwordHash,
        locale: o.locale,
        licence: o.licence ?? null,
      });
      await seeDevice(tx, { companyId: company.id, userId, deviceId: o.deviceId, platform: o.platform, deviceName: o.deviceName });
      const otp = await issueOtp(tx, {
        companyId: company.id,
        userId,
        purpose: 'REGISTER',
        channel: 'SMS',
        destination: o.phone,
        deviceId: o.deviceId,
        locale: o.locale ?? 'id',
      });
      return { userId, status: 'PENDING_VERIFICATION' as const, otp };
    });
  } catch (err) {
    throw asIdentifierTaken(err);
  }
}
