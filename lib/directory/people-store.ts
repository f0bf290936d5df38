import { detectFieldRoles, type FieldRoles } from '@/lib/directory/field-roles';
import { toPerson, userFields, type ZulipStatusFields, type ZulipUserFields } from '@/lib/directory/to-person';
import { inertText } from '@/lib/directory/safe-text';
import type { FieldDefinition, Person } from '@/lib/directory/types';

export interface ZulipFieldDefinition {
  id: number;
  type: number;
  name: string;
  hint?: string;
  field_data?: string;
  order?: number;
}

/** A realm_user / user_status / custom_profile_fields event, as far as the store reads it. */
export type DirectoryEvent =
  | { type: 'realm_user'; op: 'add'; person: ZulipUserFields }
  | { type: 'realm_user'; op: 'update'; person: { user_id: number } & Record<string, unknown> }
  | { type: 'realm_user'; op: 'remove'; person: { user_id: number } }
  | ({ type: 'user_status'; user_id: number } & ZulipStatusFields)
  | { type: 'custom_profile_fields'; fields: ZulipFieldDefinition[] };

export interface DirectorySnapshot {
  /** Kept as given: trim them first (userFields, registerUsers). */
  users: ZulipUserFields[];
  fields: ZulipFieldDefinition[];
  statuses: Record<string, ZulipStatusFields>;
  realmUrl: string;
}

/**
 * Everyone in the organization, as Zulip last told us, kept current from events. Holds the Zulip
 * users (trimmed to what is read, so a field-definition change can re-derive every Person) and
 * the derived people.
 * Bots and deactivated accounts are kept for lookups but never listed.
 */
export class PeopleStore {
  private raw = new Map<number, ZulipUserFields>();
  private statuses = new Map<number, ZulipStatusFields>();
  private definitions = new Map<number, FieldDefinition>();
  private roles: FieldRoles = detectFieldRoles([]);
  private realmUrl = '';
  private people = new Map<number, Person>();
  private byEmail = new Map<string, number>();
  private listed: Person[] | null = null;
  /** Bumped on every change; caches (search index, facets) key on it. */
  version = 0;

  replaceAll(snapshot: DirectorySnapshot): void {
    this.realmUrl = snapshot.realmUrl;
    this.raw = new Map(snapshot.users.map((u) => [u.user_id, u]));
    this.statuses = new Map(Object.entries(snapshot.statuses).map(([id, s]) => [Number(id), s]));
    this.setDefinitions(snapshot.fields);
  }

  applyEvent(event: DirectoryEvent): void {
    switch (event.type) {
      case 'custom_profile_fields':
        this.setDefinitions(event.fields);
        return;
      case 'user_status': {
        const { type: _type, user_id, ...changed } = event;
        void _type;
        const merged = { ...this.statuses.get(user_id), ...changed };
        this.statuses.set(user_id, merged);
        this.rederive(user_id);
        return;
      }
      case 'realm_user':
        if (event.op === 'add') this.raw.set(event.person.user_id, userFields(event.person));
        else if (event.op === 'remove') this.raw.delete(event.person.user_id);
        else this.applyUserUpdate(event.person);
        this.rederive(event.person.user_id);
    }
  }

  get(id: number): Person | undefined {
    return this.people.get(id);
  }

  /** Resolves a user id, a Zulip API email or a real email (case-insensitive) to a listed person. */
  resolve(ref: string): Person | undefined {
    const trimmed = ref.trim();
    const id = /^\d{1,15}$/.test(trimmed) ? Number(trimmed) : this.byEmail.get(trimmed.toLowerCase());
    return id === undefined ? undefined : this.people.get(id);
  }

  idForApiEmail(email: string): number | undefined {
    return this.byEmail.get(email.toLowerCase());
  }

  /** Active humans, in no particular order. */
  list(): Person[] {
    this.listed ??= [...this.people.values()];
    return this.listed;
  }

  fieldDefinitions(): FieldDefinition[] {
    return [...this.definitions.values()].sort((a, b) => a.order - b.order);
  }

  fieldRoles(): FieldRoles {
    return this.roles;
  }

  private setDefinitions(fields: ZulipFieldDefinition[]): void {
    this.definitions = new Map(
      fields.map((f, index) => [
        f.id,
        { id: f.id, type: f.type, name: inertText(f.name), hint: inertText(f.hint ?? ''), fieldData: f.field_data ?? '', order: f.order ?? index },
      ]),
    );
    this.roles = detectFieldRoles([...this.definitions.values()]);
    this.rebuild();
  }

  private applyUserUpdate(update: { user_id: number } & Record<string, unknown>): void {
    const current = this.raw.get(update.user_id);
    if (!current) return;
    const next: ZulipUserFields = { ...current };
    const cpf = update.custom_profile_field as { id: number; value: string | null } | undefined;
    if (cpf) {
      const profile = { ...current.profile_data };
      if (cpf.value === null || cpf.value === '') delete profile[String(cpf.id)];
      else profile[String(cpf.id)] = { value: cpf.value };
      next.profile_data = profile;
    }
    // Zulip sends exactly one group of keys per update; copy the ones the directory reads.
    for (const key of ['full_name', 'avatar_url', 'timezone', 'role', 'delivery_email', 'is_active', 'date_joined'] as const) {
      if (key in update) (next as unknown as Record<string, unknown>)[key] = update[key];
    }
    if (typeof update.new_email === 'string') next.email = update.new_email;
    if (typeof update.email === 'string' && 'timezone' in update) next.email = update.email;
    if (typeof update.role === 'number') next.is_guest = update.role === 600;
    this.raw.set(update.user_id, next);
  }

  private rebuild(): void {
    this.people.clear();
    this.byEmail.clear();
    for (const id of this.raw.keys()) this.derive(id);
    this.changed();
  }

  private rederive(id: number): void {
    const old = this.people.get(id);
    if (old) {
      this.byEmail.delete(old.apiEmail.toLowerCase());
      if (old.email) this.byEmail.delete(old.email.toLowerCase());
      this.people.delete(id);
    }
    this.derive(id);
    this.changed();
  }

  private derive(id: number): void {
    const user = this.raw.get(id);
    if (!user || user.is_bot || !user.is_active) return;
    const person = toPerson(user, {
      roles: this.roles,
      fields: this.definitions,
      realmUrl: this.realmUrl,
      status: this.statuses.get(id),
    });
    this.people.set(id, person);
    this.byEmail.set(person.apiEmail.toLowerCase(), id);
    if (person.email) this.byEmail.set(person.email.toLowerCase(), id);
  }

  private changed(): void {
    this.listed = null;
    this.version++;
  }
}
