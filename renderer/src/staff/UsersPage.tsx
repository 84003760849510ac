import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { ROLES, type HubUser, type Role } from '../../../shared/accounts/roles';
import { describeError } from '../api/errors';
import { useT } from '../i18n';
import { useStaff } from './staff-context';

const splitShops = (text: string) =>
  text
    .split(/[,，、]/)
    .map((s) => s.trim())
    .filter(Boolean);

/** Accounts (admins only): add people with a role and shops; change a role, shops or password; disable. */
export function UsersPage() {
  const { t } = useT();
  const { client, notify } = useStaff();
  const [users, setUsers] = useState<HubUser[]>([]);
  const load = useCallback(async () => {
    const r = await client.call<{ users: HubUser[] }>('GET', '/users');
    if (r.ok) setUsers(r.value.users);
    else notify('error', describeError(t, r.error));
  }, [client]); // eslint-disable-line react-hooks/exhaustive-deps
  useEffect(() => {
    void load();
  }, [load]);
  return (
    <section data-testid="staff-users">
      <AddUser
        onAdded={(u) => {
          notify('ok', t('staff.users.added', { name: u.name }));
          void load();
        }}
      />
      <table className="staff-table">
        <tbody>
          {users.map((u) => (
            <UserRow key={u.id} user={u} onSaved={() => void load()} />
          ))}
        </tbody>
      </table>
    </section>
  );
}

function AddUser({ onAdded }: { onAdded: (u: HubUser) => void }) {
  const { t } = useT();
  const { client, notify } = useStaff();
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('clerk');
  const [shops, setShops] = useState('');
  const [password, setPassword] = useState('');
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const r = await client.call<HubUser>('POST', '/users', { name, role, shops: splitShops(shops), password });
    if (!r.ok) return notify('error', describeError(t, r.error));
    setName('');
    setShops('');
    setPassword('');
    onAdded(r.value);
  };
  return (
    <form className="staff-add-user" onSubmit={(e) => void submit(e)} data-testid="add-user">
      <h3>{t('staff.users.add')}</h3>
      <input
        placeholder={t('staff.name')}
        aria-label={t('staff.name')}
        value={name}
        onChange={(e) => setName(e.target.value)}
        data-testid="user-name"
      />
      <select
        aria-label={t('staff.users.role')}
        value={role}
        onChange={(e) => setRole(e.target.value as Role)}
        data-testid="user-role"
      >
        {ROLES.map((r) => (
          <option key={r} value={r}>
            {t(`role.${r}`)}
          </option>
        ))}
      </select>
      <input
        placeholder={t('staff.users.shops')}
        aria-label={t('staff.users.shops')}
        value={shops}
        onChange={(e) => setShops(e.target.value)}
        data-testid="user-shops"
      />
      <input
        type="password"
        autoComplete="new-password"
        placeholder={t('staff.password')}
        aria-label={t('staff.password')}
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        data-testid="user-password"
      />
      <button type="submit" disabled={!name || !password} data-testid="user-add">
        {t('staff.users.add')}
      </button>
    </form>
  );
}

function UserRow({ user, onSaved }: { user: HubUser; onSaved: () => void }) {
  const { t } = useT();
  const { client, notify } = useStaff();
  const [role, setRole] = useState<Role>(user.role);
  const [shops, setShops] = useState(user.shops.join(', '));
  const [password, setPassword] = useState('');
  const save = async (change: Record<string, unknown>) => {
    const r = await client.call<HubUser>('PATCH', `/users/${encodeURIComponent(user.id)}`, change);
    if (!r.ok) return notify('error', describeError(t, r.error));
    setPassword('');
    notify('ok', t('staff.users.saved', { name: r.value.name }));
    onSaved();
  };
  return (
    <tr data-testid="user-row" className={user.disabled ? 'disabled' : ''}>
      <td>{user.name}</td>
      <td>
        <select value={role} onChange={(e) => setRole(e.target.value as Role)} aria-label={t('staff.users.role')}>
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {t(`role.${r}`)}
            </option>
          ))}
        </select>
      </td>
      <td>
        <input
          value={shops}
          placeholder={t('staff.users.allShops')}
          aria-label={t('staff.users.shops')}
          onChange={(e) => setShops(e.target.value)}
        />
      </td>
      <td>
        <input
          type="password"
          autoComplete="new-password"
          value={password}
          placeholder={t('staff.users.newPassword')}
          aria-label={t('staff.users.newPassword')}
          onChange={(e) => setPassword(e.target.value)}
        />
      </td>
      <td>
        <button
          type="button"
          onClick={() => void save({ role, shops: splitShops(shops), ...(password ? { password } : {}) })}
        >
          {t('staff.users.save')}
        </button>
        <button type="button" onClick={() => void save({ disabled: !user.disabled })}>
          {user.disabled ? t('staff.users.enable') : t('staff.users.disable')}
        </button>
        {user.disabled && <span className="badge">{t('staff.users.disabled')}</span>}
      </td>
    </tr>
  );
}
