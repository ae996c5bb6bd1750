-- Versioned field-mapping rule sets per tenant and direction ('catalog' = lexoffice → Cel.ro offer,
-- 'order' = Cel.ro order line → lexoffice line). A version's document is immutable; a version moves
-- draft → validated once; which version is active is a separate pointer row, changed only by audited
-- activations (activate / rollback).

CREATE TABLE rule_set_versions (
  id             bigserial PRIMARY KEY,
  tenant_id      text NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  direction      text NOT NULL CHECK (direction IN ('catalog', 'order')),
  version        integer NOT NULL CHECK (version > 0),
  status         text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'validated')),
  -- The document exactly as accepted (text, not jsonb: field order is evaluation order and decimal
  -- constants must keep their digits).
  document       text NOT NULL,
  document_hash  text NOT NULL,
  note           text,
  created_by     text NOT NULL,
  created_at     timestamptz NOT NULL DEFAULT now(),
  validated_by   text,
  validated_at   timestamptz,
  UNIQUE (tenant_id, direction, version)
);

CREATE FUNCTION rule_set_versions_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.document IS DISTINCT FROM OLD.document OR NEW.document_hash IS DISTINCT FROM OLD.document_hash
     OR NEW.tenant_id IS DISTINCT FROM OLD.tenant_id OR NEW.direction IS DISTINCT FROM OLD.direction
     OR NEW.version IS DISTINCT FROM OLD.version OR NEW.created_by IS DISTINCT FROM OLD.created_by
     OR NEW.created_at IS DISTINCT FROM OLD.created_at THEN
    RAISE EXCEPTION 'rule set version % is immutable; create a new draft instead', OLD.id;
  END IF;
  IF OLD.status = 'validated' AND NEW.status <> 'validated' THEN
    RAISE EXCEPTION 'rule set version % is validated and cannot go back to draft', OLD.id;
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER rule_set_versions_no_edit BEFORE UPDATE ON rule_set_versions
  FOR EACH ROW EXECUTE FUNCTION rule_set_versions_immutable();

-- The active version per tenant and direction: the one row every evaluation checks (primary-key lookup).
CREATE TABLE rule_set_active (
  tenant_id     text NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  direction     text NOT NULL CHECK (direction IN ('catalog', 'order')),
  version_id    bigint NOT NULL REFERENCES rule_set_versions (id),
  activated_by  text NOT NULL,
  activated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, direction)
);

-- Every activation and rollback: who, when, why, from which version to which.
CREATE TABLE rule_set_activations (
  id                   bigserial PRIMARY KEY,
  tenant_id            text NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  direction            text NOT NULL CHECK (direction IN ('catalog', 'order')),
  kind                 text NOT NULL CHECK (kind IN ('activate', 'rollback')),
  version_id           bigint NOT NULL REFERENCES rule_set_versions (id),
  previous_version_id  bigint REFERENCES rule_set_versions (id),
  actor                text NOT NULL,
  reason               text NOT NULL CHECK (length(reason) > 0),
  at                   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX rule_set_activations_tenant ON rule_set_activations (tenant_id, direction, id DESC);
