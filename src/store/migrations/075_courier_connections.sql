-- Couriers are connections like lexoffice and Cel.ro: credentials sealed per tenant, settings (pickup
-- point, service) in clear. A tenant may connect several couriers and pick one per shipment.
ALTER TABLE connections DROP CONSTRAINT connections_system_check;
ALTER TABLE connections ADD CONSTRAINT connections_system_check CHECK (system IN ('lexoffice', 'celro', 'fancourier', 'sameday'));
