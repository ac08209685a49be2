import {
  type ApiKeyKind,
  createApiKey,
  createMerchant,
  type Db,
  listApiKeys,
  revokeApiKey,
} from "@pay/lib/db";
import { isMerchantId, type PaymentMode } from "@pay/lib/domain";

/** A parsed command line of `deno task merchant:create`. */
export type MerchantCommand =
  | { readonly kind: "create"; readonly id: string; readonly name: string; readonly label?: string }
  | {
    readonly kind: "add-key";
    readonly id: string;
    readonly label?: string;
    readonly keyKind: ApiKeyKind;
  }
  | { readonly kind: "revoke"; readonly keyId: string }
  | { readonly kind: "list"; readonly id?: string };

export const usage = `Usage:
  deno task merchant:create --id M777 --name "Shop" [--label text]   create a merchant and print its first secret key (sk_)
  deno task merchant:create --add-key --id M777 [--label text]      issue another secret key (printed once)
  deno task merchant:create --add-key --publishable --id M777       issue a publishable key (pk_; this API refuses it)
  deno task merchant:create --revoke <keyId>                        revoke a key (gateways refuse it within API_KEY_CACHE_TTL_MS)
  deno task merchant:create --list [--id M777]                      list keys (ids, kinds, labels, dates; never secrets)
Keys are sk_test_ (PAY_ENV development, test) or sk_live_ (PAY_ENV=production).`;

export interface CommandFlags {
  readonly id?: string;
  readonly name?: string;
  readonly label?: string;
  readonly revoke?: string;
  readonly list?: boolean;
  readonly "add-key"?: boolean;
  readonly publishable?: boolean;
}

/** Turns flags into a command; throws a message naming the bad flag. */
export function commandOf(flags: CommandFlags): MerchantCommand {
  if (flags.revoke !== undefined) return { kind: "revoke", keyId: flags.revoke };
  if (flags.list) return { kind: "list", id: flags.id };
  if (flags.id === undefined || !isMerchantId(flags.id)) {
    throw new Error(
      `--id: expected 1-64 of A-Z a-z 0-9 _ - (got ${JSON.stringify(flags.id ?? null)})`,
    );
  }
  if (flags["add-key"]) {
    const keyKind = flags.publishable ? "publishable" : "secret";
    return { kind: "add-key", id: flags.id, label: flags.label, keyKind };
  }
  if (flags.publishable) throw new Error("--publishable: only with --add-key");
  if (!flags.name) throw new Error("--name: required to create a merchant");
  return { kind: "create", id: flags.id, name: flags.name, label: flags.label };
}

/** Runs a command; returns the lines to print. */
export async function runMerchantCommand(
  pool: Db,
  command: MerchantCommand,
  apiKeyEnv: PaymentMode,
): Promise<string[]> {
  switch (command.kind) {
    case "create": {
      if (!(await createMerchant(pool, { id: command.id, name: command.name }))) {
        throw new Error(`Merchant already exists: ${command.id} (use --add-key for another key)`);
      }
      const key = await createApiKey(pool, {
        merchantId: command.id,
        env: apiKeyEnv,
        label: command.label,
      });
      return [`Created merchant ${command.id}`, ...keyLines(key)];
    }
    case "add-key": {
      const key = await createApiKey(pool, {
        merchantId: command.id,
        env: apiKeyEnv,
        label: command.label,
        kind: command.keyKind,
      })
        .catch((error) => {
          throw new Error(`Could not add a key to merchant ${command.id}: ${error.message}`);
        });
      return keyLines(key, command.keyKind);
    }
    case "revoke": {
      if (!(await revokeApiKey(pool, command.keyId))) {
        throw new Error(`No active key with this id: ${command.keyId}`);
      }
      return [`Revoked key ${command.keyId}`];
    }
    case "list": {
      const keys = await listApiKeys(pool, command.id);
      return keys.map((k) =>
        [
          k.merchantId,
          k.keyId,
          k.kind,
          k.label ?? "-",
          k.createdAt.toISOString(),
          k.revokedAt ? `revoked ${k.revokedAt.toISOString()}` : "active",
        ]
          .join("\t")
      );
    }
  }
}

function keyLines(key: { keyId: string; apiKey: string }, kind: ApiKeyKind = "secret"): string[] {
  return [
    `Key id:  ${key.keyId}`,
    `API key: ${key.apiKey}`,
    kind === "secret"
      ? "Store the API key now: it is shown once and only its hash is kept. Keep it on your servers."
      : "A publishable key: safe in a browser; the payment API refuses it (403 publishable_key).",
  ];
}
