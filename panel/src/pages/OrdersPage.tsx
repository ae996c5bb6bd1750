export function OrdersPage() { return <div>OrdersPage</div>; }
