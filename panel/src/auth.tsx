import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { ApiError, call, client, setCsrfToken, setUnauthorizedHandler } from './api/client.ts';
import type { Session, User } from './api/types.ts';

interface AuthState {
  /** undefined while the session is being checked. */
  readonly user: User | null | undefined;
  /** True when this Vortex has no user accounts yet (the API is open to this machine). */
  readonly open: boolean;
  /** The user logged out here (the next login starts on the shops page, not on the last page). */
  readonly loggedOut: boolean;
  login(email: string, password: string): Promise<void>;
  logout(everywhere?: boolean): Promise<void>;
  refresh(): Promise<void>;
}

const AuthContext = createContext<AuthState | null>(null);

/** Before any user account exists, this machine is served as an operator without logging in. */
const LOCAL: User = { id: 0, email: 'local', role: 'operator', tenants: [], mustChangePassword: false, disabled: false, createdAt: new Date(0).toISOString(), lastLoginAt: null };

/** Who is logged in: asks /api/auth/me once, keeps the CSRF token for the API client, drops the user on a 401. */
export function AuthProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<User | null | undefined>(undefined);
  const [open, setOpen] = useState(false);
  const [loggedOut, setLoggedOut] = useState(false);

  const take = useCallback((s: Session) => {
    setCsrfToken(s.csrfToken);
    setLoggedOut(false);
    setUser(s.user);
  }, []);

  const refresh = useCallback(async () => {
    try {
      const me = await call(client.GET('/api/auth/me'), { quiet401: true });
      if ('user' in me && me.user && 'csrfToken' in me) {
        take(me as Session);
        setOpen(false);
      } else {
        // No user account exists yet: this machine is served without logging in.
        setOpen(true);
        setUser(LOCAL);
      }
    } catch (e) {
      // No auth routes on this server (or no users yet): the API is open on this machine.
      if (e instanceof ApiError && e.status === 404) {
        setOpen(true);
        setUser(LOCAL);
      } else setUser(null);
    }
  }, [take]);

  useEffect(() => {
    setUnauthorizedHandler(() => {
      setCsrfToken(null);
      setUser(null);
    });
    void refresh();
    return () => setUnauthorizedHandler(null);
  }, [refresh]);

  const value = useMemo<AuthState>(
    () => ({
      user,
      open,
      refresh,
      loggedOut,
      login: async (email, password) => take((await call(client.POST('/api/auth/login', { body: { email, password } }), { quiet401: true })) as Session),
      logout: async (everywhere = false) => {
        try {
          await call(everywhere ? client.POST('/api/auth/logout-all') : client.POST('/api/auth/logout'));
        } finally {
          setCsrfToken(null);
          setLoggedOut(true);
          setUser(null);
        }
      },
    }),
    [user, open, loggedOut, refresh, take],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthState {
  const a = useContext(AuthContext);
  if (!a) throw new Error('useAuth outside AuthProvider');
  return a;
}
