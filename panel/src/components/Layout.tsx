import { Anchor, AppShell, Badge, Burger, Button, Group, Loader, NavLink, ScrollArea, Text, Title } from '@mantine/core';
import { Suspense } from 'react';
import { useDisclosure } from '@mantine/hooks';
import { Link, Navigate, Outlet, useLocation, useMatch } from 'react-router';
import { useAuth } from '../auth.tsx';

const TENANT_PAGES: ReadonlyArray<{ path: string; label: string; testId: string }> = [
  { path: '', label: 'Dashboard', testId: 'nav-dashboard' },
  { path: 'products', label: 'Products', testId: 'nav-products' },
  { path: 'orders', label: 'Orders', testId: 'nav-orders' },
  { path: 'mapping', label: 'Mapping rules', testId: 'nav-mapping' },
  { path: 'stock', label: 'Stock', testId: 'nav-stock' },
  { path: 'audit', label: 'Audit log', testId: 'nav-audit' },
  { path: 'users', label: 'Users', testId: 'nav-users' },
  { path: 'onboarding', label: 'Connections & setup', testId: 'nav-onboarding' },
];

/** The frame of every page: header with the user, a navigation for the chosen tenant, the page. */
export function Layout() {
  const [opened, { toggle }] = useDisclosure();
  const { user, open, logout } = useAuth();
  const tenant = useMatch('/t/:tenant/*')?.params.tenant;
  const location = useLocation();
  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 230, breakpoint: 'sm', collapsed: { mobile: !opened } }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between">
          <Group gap="sm">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" />
            <Anchor component={Link} to="/" underline="never" c="inherit">
              <Title order={3}>Vortex</Title>
            </Anchor>
            {tenant && (
              <Badge variant="light" size="lg" data-testid="current-tenant">
                {tenant}
              </Badge>
            )}
          </Group>
          <Group gap="sm">
            {open ? (
              <Text size="sm" c="dimmed">
                no user accounts yet: open to this machine
              </Text>
            ) : (
              <>
                <Text size="sm" component={Link} to="/account" data-testid="user-email" c="dimmed">
                  {user?.email} ({user?.role})
                </Text>
                <Button
                  size="xs"
                  variant="default"
                  onClick={() => void logout()}
                  data-testid="logout"
                >
                  Log out
                </Button>
              </>
            )}
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs">
        <ScrollArea>
          <NavLink component={Link} to="/" label="All shops" active={location.pathname === '/'} data-testid="nav-tenants" />
          {tenant &&
            TENANT_PAGES.map((p) => {
              const to = `/t/${tenant}${p.path ? `/${p.path}` : ''}`;
              const active = p.path ? location.pathname.startsWith(to) : location.pathname === to;
              return <NavLink key={p.path} component={Link} to={to} label={p.label} active={active} data-testid={p.testId} />;
            })}
        </ScrollArea>
      </AppShell.Navbar>
      <AppShell.Main>
        {/* The API answers nothing else until the password is changed (403 password_change_required). */}
        {user?.mustChangePassword && location.pathname !== '/account' ? (
          <Navigate to="/account" replace />
        ) : (
          // Pages are loaded on first visit (App.tsx): the frame stays while one arrives.
          <Suspense fallback={<Loader m="xl" data-testid="page-loading" />}>
            <Outlet />
          </Suspense>
        )}
      </AppShell.Main>
    </AppShell>
  );
}
