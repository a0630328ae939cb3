import Foundation
import HavenAudit
import HavenCore
import HavenCrypto
import HavenPolicy
import HavenStore
import Logging
import NIOCore
import Synchronization

/// The vault service: every request goes authenticate → authorise → crypto → store →
/// audit, in that order, and answers only after its audit entry is durable.
///
/// Shared by all connections; its parts are either immutable or own their state
/// (the writer thread, the user directory, the policy holder).
public final class Vault: Sendable {
    public let directory: DataDirectory
    public let keys: VaultKeys
    public let policies: PolicyHolder
    public let users: UserDirectory
    let writer: WriteQueue
    let readers: ReaderPool
    let clock: any HavenClock
    let logger: Logger
    let policyPath: String
    let throttle: AuthenticationThrottle
    /// How much history one record may hold.
    let historyLimits: HistoryLimits
    /// The blind indexes of searchable fields, fixed at start.
    let search: SearchIndexer
    /// What each record contributes to statistics, from the fields the policy marked at start.
    let statistics: RecordStatisticsDeriver
    /// Whether a statistics query is running: it takes every core for seconds at a million
    /// records, so a second one waits for it to end (answered `busy`) rather than halve it.
    let statisticsRunning = Mutex(false)
    /// Upgrade steps this start made that are audited as it announces itself.
    let upgradeEvents: [AuditEvent]
    /// The latest audited state of every record, checked on every access.
    var ledger: StateLedger { writer.ledger }
    /// `--anchor` named a file that did not exist yet (said in the `daemon.start` entry).
    let anchorCreated: Bool
    /// Restores this vault's log records (`GET /v1/status`); fixed while it serves, since a
    /// restore is made offline.
    public let restoreEpoch: Int

    init(directory: DataDirectory, keys: VaultKeys, policy: Policy, policyPath: String, users: [EnrolledUser], search: SearchIndexer,
         statistics: RecordStatisticsDeriver, writer: WriteQueue, readers: ReaderPool, clock: any HavenClock, logger: Logger, throttle: AuthenticationThrottle,
         anchorCreated: Bool = false, historyLimits: HistoryLimits = .init(), upgradeEvents: [AuditEvent] = [], restoreEpoch: Int = 0) {
        self.anchorCreated = anchorCreated
        self.restoreEpoch = restoreEpoch
        self.upgradeEvents = upgradeEvents
        self.historyLimits = historyLimits
        self.search = search
        self.statistics = statistics
        self.directory = directory
        self.keys = keys
        self.policies = PolicyHolder(policy)
        self.users = UserDirectory(users: users)
        self.writer = writer
        self.readers = readers
        self.clock = clock
        self.logger = logger
        self.policyPath = policyPath
        self.throttle = throttle
    }

    /// Opens a vault for serving: checks permissions, loads the policy, unseals the keys
    /// (with `rootKey` once custodians have unsealed it, else from the root key file),
    /// upgrades an older vault, checks the log and every row that grants access against it
    /// (`StartupCheck`), rebuilds the search index and the statistics rows if their fields
    /// changed, and starts the writer. Every failure here is one clear line for the
    /// operator.
    public static func open(directory: DataDirectory, policyPath: String, logger: Logger,
                            clock: any HavenClock = SystemClock(),
                            writerConfiguration: WriteQueue.Configuration = .init(),
                            authPolicy: AuthenticationThrottle.Policy = .init(),
                            anchor: AnchorFile? = nil, allowDamagedAuditLog: Bool = false,
                            historyLimits: HistoryLimits = .init(), rootKey: RootKey? = nil) throws -> Vault {
        try directory.checkPermissions()
        try anchor?.checkOutside(directory)
        let policy = try PolicyDirectory.load(policyPath)
        let db: Connection
        do {
            db = try Database.open(path: directory.databasePath)
        } catch {
            throw HavenError(.storeUnavailable, "cannot open the database \(directory.databasePath): \(error)")
        }
        let meta = try VaultMetaTable.read(on: db)
        let keys: VaultKeys
        if let rootKey {
            keys = try VaultKeys.open(root: rootKey, meta: meta, what: "the unsealed root key")
        } else {
            guard directory.sealMode == .file else {
                throw HavenError(.sealed, "the vault in \(directory.path) is sealed (\(directory.sealMode.rawValue)) and needs unsealing")
            }
            keys = try VaultKeys.open(root: try RootKeyCustody.readFile(directory), meta: meta,
                                      what: "the root key in \(directory.rootKeyPath)")
        }
        let cadence = CheckpointCadence(writerConfiguration)
        let upgradeEvents = try VaultUpgrade.run(db, directory: directory, keys: keys, meta: meta, cadence: cadence,
                                                 now: clock.now(), logger: logger)
        let verified = try StartupCheck(databasePath: directory.databasePath, db: db, keys: keys, meta: meta, cadence: cadence,
                                        anchor: anchor, allowDamagedLog: allowDamagedAuditLog).run()
        let search = SearchIndexer(policy: policy, keys: keys)
        let statistics = RecordStatisticsDeriver(policy: policy)
        let (reindex, restat) = try DerivedRowsRebuild(db: db, keys: keys, logger: logger).run(search: search, statistics: statistics)
        let checkpointer: WALCheckpointer
        do {
            checkpointer = WALCheckpointer(db: try Database.open(path: directory.databasePath), logger: logger)
        } catch {
            throw HavenError(.storeUnavailable, "cannot open the database \(directory.databasePath): \(error)")
        }
        let writer = WriteQueue(db: db, keys: keys, clock: clock, logger: logger, configuration: writerConfiguration,
                                verified: verified, anchor: anchor, walCheckpointer: checkpointer)
        let vault = Vault(directory: directory, keys: keys, policy: policy, policyPath: policyPath, users: verified.users,
                          search: search, statistics: statistics, writer: writer, readers: ReaderPool(path: directory.databasePath), clock: clock, logger: logger,
                          throttle: AuthenticationThrottle(policy: authPolicy), anchorCreated: verified.anchorCreated,
                          historyLimits: historyLimits, upgradeEvents: upgradeEvents + [reindex, restat].compactMap { $0 },
                          restoreEpoch: try storeCall(logger) { try countRestores(on: db) })
        emptySpool(directory, logger: logger)
        writer.start()
        return vault
    }

    /// Records the start of service in the log (and signs a checkpoint), after `preceding`
    /// (the attempts that unsealed it, which could not be written while it was sealed).
    public func announceStart(on eventLoop: any EventLoop, detail: [String: String],
                              preceding: [AuditEvent] = []) -> EventLoopFuture<Void> {
        var detail = detail
        if anchorCreated { detail["anchor"] = "created" }
        if let problem = writer.startupProblem {
            logger.critical("audit log check at start failed; run 'haven audit verify'", metadata: ["problem": "\(problem)"])
            detail["audit_check"] = problem
        }
        let event = AuditEvent(action: "daemon.start", decision: .allow, rule: "daemon started",
                               policyVersion: policies.policy.version, detail: detail)
        let version = policies.policy.version
        let upgrades = (upgradeEvents + preceding).map { e in
            var e = e
            e.policyVersion = version
            return e
        }
        // Queued together, in order: the writer commits them in groups, not one fsync each.
        let queued = upgrades.map { writer.audit(on: eventLoop, $0).map { _ in () } }
        let started = writer.audit(on: eventLoop, event, checkpoint: true).map { _ in () }
        return EventLoopFuture.andAllSucceed(queued + [started], on: eventLoop)
    }

    /// Commits what is queued, audits the stop (or `finalEvent`, a seal), signs a final
    /// checkpoint and stops the writer.
    public func shutdown(finalEvent: AuditEvent? = nil) {
        writer.shutdown(finalEvent: finalEvent ?? AuditEvent(action: "daemon.stop", decision: .allow, rule: "daemon stopped",
                                                             policyVersion: policies.policy.version))
    }

    /// The committed size and latest checkpoint of the audit log.
    public var auditHead: WriteQueue.AuditHead { writer.head }
}
