import { hash, verify } from '@node-rs/argon2';
import { AppError } from '../../../shared/api/result';
import { PASSWORD_MAX, PASSWORD_MIN } from '../../../shared/accounts/roles';

/**
 * Password hashing: argon2id from @node-rs/argon2 (maintained, prebuilt for every desktop
 * and server platform; runs off the event loop). Cost: OWASP's first argon2id setting
 * (19 MiB, 2 passes, 1 lane) — about 30 ms here, so a hub signs in many people at once
 * and a stolen database still costs an attacker that much per guess.
 */
const OPTIONS = { algorithm: 2 /* Argon2id */, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function checkPasswordRules(password: string): void {
  const length = [...password].length;
  if (length < PASSWORD_MIN || length > PASSWORD_MAX)
    throw new AppError('INVALID_INPUT', `A password has ${PASSWORD_MIN}–${PASSWORD_MAX} characters`, {
      problem: 'password-length',
      min: PASSWORD_MIN,
      max: PASSWORD_MAX,
    });
}

export function hashPassword(password: string): Promise<string> {
  checkPasswordRules(password);
  return hash(password.normalize('NFC'), OPTIONS);
}

/** A hash nobody's password matches, verified when a name has no account: the same time either way. */
let decoy: Promise<string> | null = null;

export async function passwordMatches(stored: string | null, password: string): Promise<boolean> {
  decoy ??= hash('no account has this password', OPTIONS);
  const encoded = stored ?? (await decoy);
  const ok = await verify(encoded, password.normalize('NFC')).catch(() => false);
  return stored !== null && ok;
}
