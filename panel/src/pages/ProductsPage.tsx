export function ProductsPage() { return <div>ProductsPage</div>; }
