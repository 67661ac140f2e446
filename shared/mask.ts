/** Masked contact details for responses, logs and delivery records: enough to recognise, not to use. */
export function maskPhone(phone: string): string {
  if (phone.length <= 7) return '***';
  return `${phone.slice(0, 3)}***${phone.slice(-4)}`;
}

export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at < 1) return '***';
  return `${email[0]}***${email.slice(at)}`;
}

export function maskDestination(destination: string): string {
  return destination.includes('@') ? maskEmail(destination) : maskPhone(destination);
}
