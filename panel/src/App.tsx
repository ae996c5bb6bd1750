import { Center, Loader } from '@mantine/core';
import { lazy, type ComponentType } from 'react';
import { Navigate, Route, Routes, useLocation } from 'react-router';
import { useAuth } from './auth.tsx';
import { Layout } from './components/Layout.tsx';
import { LoginPage } from './pages/LoginPage.tsx';

/** A page loaded when first visited: the charts (Recharts) only come with the dashboard, and so on. */
function page<K extends string>(load: () => Promise<Record<K, ComponentType>>, name: K) {
  return lazy(async () => ({ default: (await load())[name] }));
}
const AccountPage = page(() => import('./pages/AccountPage.tsx'), 'AccountPage');
const AuditPage = page(() => import('./pages/AuditPage.tsx'), 'AuditPage');
const DashboardPage = page(() => import('./pages/DashboardPage.tsx'), 'DashboardPage');
const MappingPage = page(() => import('./pages/MappingPage.tsx'), 'MappingPage');
const OnboardingPage = page(() => import('./pages/OnboardingPage.tsx'), 'OnboardingPage');
const OrderPage = page(() => import('./pages/OrderPage.tsx'), 'OrderPage');
const OrdersPage = page(() => import('./pages/OrdersPage.tsx'), 'OrdersPage');
const ProductPage = page(() => import('./pages/ProductPage.tsx'), 'ProductPage');
const ProductsPage = page(() => import('./pages/ProductsPage.tsx'), 'ProductsPage');
const StockPage = page(() => import('./pages/StockPage.tsx'), 'StockPage');
const TenantsPage = page(() => import('./pages/TenantsPage.tsx'), 'TenantsPage');
const UsersPage = page(() => import('./pages/UsersPage.tsx'), 'UsersPage');

export function App() {
  const { user, loggedOut } = useAuth();
  const location = useLocation();
  if (user === undefined) {
    return (
      <Center h="100vh">
        <Loader />
      </Center>
    );
  }
  if (user === null) {
    return (
      <Routes>
        <Route path="/login" element={<LoginPage />} />
        <Route path="*" element={<Navigate to="/login" replace state={loggedOut ? null : { from: location.pathname }} />} />
      </Routes>
    );
  }
  return (
    <Routes>
      <Route path="/login" element={<Navigate to={(location.state as { from?: string } | null)?.from ?? '/'} replace />} />
      <Route element={<Layout />}>
        <Route index element={<TenantsPage />} />
        <Route path="onboarding" element={<OnboardingPage />} />
        <Route path="account" element={<AccountPage />} />
        <Route path="t/:tenant">
          <Route index element={<DashboardPage />} />
          <Route path="onboarding" element={<OnboardingPage />} />
          <Route path="products" element={<ProductsPage />} />
          <Route path="products/:sku" element={<ProductPage />} />
          <Route path="orders" element={<OrdersPage />} />
          <Route path="orders/:orderId" element={<OrderPage />} />
          <Route path="mapping" element={<MappingPage />} />
          <Route path="stock" element={<StockPage />} />
          <Route path="audit" element={<AuditPage />} />
          <Route path="users" element={<UsersPage />} />
        </Route>
        <Route path="*" element={<Navigate to="/" replace />} />
      </Route>
    </Routes>
  );
}
