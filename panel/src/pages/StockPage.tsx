export function StockPage() { return <div>StockPage</div>; }
