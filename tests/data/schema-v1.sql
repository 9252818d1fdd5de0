-- A database made by urbis with schema version 1 (sqlite3 .dump). Never edit: the upgrade test opens it.
PRAGMA foreign_keys=OFF;
BEGIN TRANSACTION;
CREATE TABLE tenants(
  id         INTEGER PRIMARY KEY,
  name       TEXT NOT NULL UNIQUE,
  created_at INTEGER NOT NULL
);
INSERT INTO tenants VALUES(1,'',0);
INSERT INTO tenants VALUES(2,'other',1795318970897938);
CREATE TABLE entities(
  eid         INTEGER PRIMARY KEY,
  tenant      INTEGER NOT NULL,
  id          TEXT NOT NULL,
  created_at  INTEGER NOT NULL,
  modified_at INTEGER NOT NULL,
  doc         TEXT NOT NULL,
  UNIQUE(tenant, id)
);
INSERT INTO entities VALUES(1,1,'urn:ngsi-ld:Streetlight:v1',1795318970886271,1795318970886271,'{"id":"urn:ngsi-ld:Streetlight:v1","type":["https://uri.etsi.org/ngsi-ld/default-context/Streetlight"],"attrs":{"https://uri.etsi.org/ngsi-ld/default-context/powerState":[{"type":"Property","value":"on","createdAt":"2026-11-22T03:42:50.886Z","modifiedAt":"2026-11-22T03:42:50.886Z"}],"https://uri.etsi.org/ngsi-ld/location":[{"type":"GeoProperty","value":{"type":"Point","coordinates":[-3.7,40.4]},"createdAt":"2026-11-22T03:42:50.886Z","modifiedAt":"2026-11-22T03:42:50.886Z"}]},"createdAt":"2026-11-22T03:42:50.886Z","modifiedAt":"2026-11-22T03:42:50.886Z"}');
INSERT INTO entities VALUES(2,2,'urn:ngsi-ld:Thing:v1',1795318970897831,1795318970897831,'{"id":"urn:ngsi-ld:Thing:v1","type":["https://uri.etsi.org/ngsi-ld/default-context/Thing"],"attrs":{},"createdAt":"2026-11-22T03:42:50.897Z","modifiedAt":"2026-11-22T03:42:50.897Z"}');
CREATE TABLE change_log(
  seq       INTEGER PRIMARY KEY AUTOINCREMENT,
  tenant    INTEGER NOT NULL,
  entity_id TEXT NOT NULL,
  op        INTEGER NOT NULL,
  at        INTEGER NOT NULL,
  before    TEXT,
  after     TEXT
);
INSERT INTO change_log VALUES(1,1,'urn:ngsi-ld:Streetlight:v1',1,1795318970886511,NULL,'{"id":"urn:ngsi-ld:Streetlight:v1","type":["https://uri.etsi.org/ngsi-ld/default-context/Streetlight"],"attrs":{"https://uri.etsi.org/ngsi-ld/default-context/powerState":[{"type":"Property","value":"on","createdAt":"2026-11-22T03:42:50.886Z","modifiedAt":"2026-11-22T03:42:50.886Z"}],"https://uri.etsi.org/ngsi-ld/location":[{"type":"GeoProperty","value":{"type":"Point","coordinates":[-3.7,40.4]},"createdAt":"2026-11-22T03:42:50.886Z","modifiedAt":"2026-11-22T03:42:50.886Z"}]},"createdAt":"2026-11-22T03:42:50.886Z","modifiedAt":"2026-11-22T03:42:50.886Z"}');
INSERT INTO change_log VALUES(2,2,'urn:ngsi-ld:Thing:v1',1,1795318970897938,NULL,'{"id":"urn:ngsi-ld:Thing:v1","type":["https://uri.etsi.org/ngsi-ld/default-context/Thing"],"attrs":{},"createdAt":"2026-11-22T03:42:50.897Z","modifiedAt":"2026-11-22T03:42:50.897Z"}');
CREATE TABLE change_cursors(
  name       TEXT PRIMARY KEY,
  seq        INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
) WITHOUT ROWID;
DELETE FROM sqlite_sequence;
INSERT INTO sqlite_sequence VALUES('change_log',2);
COMMIT;
PRAGMA user_version = 1;
