export function MappingPage() { return <div>MappingPage</div>; }
