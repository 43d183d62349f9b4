//! Which server this journal syncs with. The built-in one is used unless
//! the user (a pilot, a province running its own) sets another. What a
//! device holds from one server means nothing to another, so switching
//! forgets it: this device's token there, the download cursors, the venue
//! directory, and the risky entries no alert refers to (alerts already
//! raised stay: they are the user's). Records not yet sent go to the new
//! server; records already sent are not sent again.

use super::Journal;
use super::alerts::CURSOR as RISKY_CURSOR;
use super::outbox::DEVICE_TOKEN;
use crate::error::{Error, Result};

const SERVER: &str = "sync.server";

impl Journal {
    /// The server set by the user, if any.
    pub fn sync_server(&self) -> Result<Option<String>> {
        self.setting(SERVER)
    }

    /// Syncs with `server` from now on (`None`: the built-in one). The
    /// address must already be checked (`sync::server_address`). Returns
    /// whether it changed. Refused on a gate.
    pub fn switch_sync_server(&mut self, server: Option<&str>) -> Result<bool> {
        if self.sync_server()?.as_deref() == server {
            return Ok(false);
        }
        if self.gate_binding()?.is_some() {
            return Err(Error::GateKeepsItsServer);
        }
        let tx = self.conn.transaction()?;
        match server {
            Some(url) => tx.execute(
                "INSERT INTO setting (key, value) VALUES (?1, ?2)
                 ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                [SERVER, url],
            )?,
            None => tx.execute("DELETE FROM setting WHERE key = ?1", [SERVER])?,
        };
        tx.execute(
            "DELETE FROM setting WHERE key IN (?1, ?2)",
            [DEVICE_TOKEN, RISKY_CURSOR],
        )?;
        tx.execute(
            "DELETE FROM risky_entry WHERE id NOT IN (SELECT entry_id FROM alert)",
            [],
        )?;
        tx.execute("DELETE FROM directory_venue", [])?;
        tx.execute("DELETE FROM directory_cursor", [])?;
        tx.commit()?;
        tracing::info!("sync server changed");
        Ok(true)
    }
}
