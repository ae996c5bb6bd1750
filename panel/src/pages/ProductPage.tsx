export function ProductPage() { return <div>ProductPage</div>; }
