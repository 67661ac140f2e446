import { config } from '../../../shared/config.js';
import { encrypt } from '../../../shared/crypto/encryption.js';

/** The investor's page behind a link token (GET /crm/links/{token}). */
export function investorLinkUrl(token: string): string {
  return new URL(`/crm/links/${token}`, config().PUBLIC_BASE_URL).toString();
}

/** The link as an email event carries it: encrypted (context "email.link"), never readable in the message. */
export function sealedInvestorLink(token: string): Promise<string> {
  return encrypt(investorLinkUrl(token), 'email.link');
}
