import HavenAudit
import HavenCore
import HavenCrypto
import HavenPolicy
import HavenStore
import Logging
import NIOCore

/// The house: it opens a vault, announces its start, shuts it down, and holds the
/// services that serve each capability over one `RequestPipeline` (`vault.records.read(…)`).
///
/// Shared by all connections; its parts are either immutable or own their state
/// (the writer thread, the user directory, the policy holder).
public final class Vault: Sendable {
    public let directory: DataDirectory
    public let keys: VaultKeys
    public let policies: PolicyHolder
    let writer: WriteQueue
    let clock: any HavenClock
    let logger: Logger
    /// Upgrade steps this start made that are audited as it announces itself.
    let upgradeEvents: [AuditEvent]
    /// `--create-anchor` made the anchor at this start (said in the `daemon.start` entry).
    let anchorCreated: Bool

    public let records: RecordService
    public let consent: ConsentService
    public let referrals: ReferralService
    public let search: SearchService
    public let statistics: StatisticsService
    public let audit: AuditService
    public let users: UserService
    public let sessions: SessionService
    public let extracts: ExtractService
    public let backups: BackupService
    public let custody: CustodyService
    public let policy: PolicyService

    init(directory: DataDirectory, keys: VaultKeys, policy: Policy, policyPath: String, users: [EnrolledUser], search: SearchIndexer,
         statistics: RecordStatisticsDeriver, writer: WriteQueue, readers: ReaderPool, clock: any HavenClock, logger: Logger,
         throttle: AuthenticationThrottle, anchorCreated: Bool = false, historyLimits: HistoryLimits = .init(),
         upgradeEvents: [AuditEvent] = [], restoreEpoch: Int = 0) {
        self.directory = directory
        self.keys = keys
        self.policies = PolicyHolder(policy)
        self.writer = writer
        self.clock = clock
        self.logger = logger
        self.upgradeEvents = upgradeEvents
        self.anchorCreated = anchorCreated
        let pipeline = RequestPipeline(users: UserDirectory(users: users), policies: policies, writer: writer, readers: readers,
                                       opener: RecordOpener(keys: keys, ledger: writer.ledger, logger: logger),
                                       clock: clock, logger: logger)
        let changes = RecordChanges(pipeline: pipeline, keys: keys, statistics: statistics)
        let shredder = RecordShredder(keys: keys, logger: logger)
        let spool = BackupSpool(directory, logger: logger)
        self.search = SearchService(pipeline: pipeline, indexer: search, keys: keys)
        self.records = RecordService(pipeline: pipeline, keys: keys, indexer: search, duplicates: self.search, statistics: statistics,
                                     changes: changes, shredder: shredder, spool: spool, historyLimits: historyLimits)
        self.consent = ConsentService(pipeline: pipeline, changes: changes, historyLimits: historyLimits)
        self.referrals = ReferralService(pipeline: pipeline, changes: changes)
        self.statistics = StatisticsService(pipeline: pipeline, keys: keys)
        self.audit = AuditService(pipeline: pipeline, directory: directory, keys: keys)
        self.users = UserService(pipeline: pipeline, keys: keys, throttle: throttle)
        self.sessions = SessionService(pipeline: pipeline, keys: keys, throttle: throttle, restoreEpoch: restoreEpoch)
        self.extracts = ExtractService(pipeline: pipeline, keys: keys)
        self.backups = BackupService(pipeline: pipeline, directory: directory, keys: keys, spool: spool, shredder: shredder, changes: changes)
        self.custody = CustodyService(pipeline: pipeline)
        self.policy = PolicyService(pipeline: pipeline, path: policyPath)
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
                            anchor: AnchorFile? = nil, createAnchor: Bool = false, allowDamagedAuditLog: Bool = false,
                            historyLimits: HistoryLimits = .init(), rootKey: RootKey? = nil) throws -> Vault {
        try directory.checkPermissions()
        try anchor?.checkOutside(directory)
        try anchor?.checkUsable(creating: createAnchor)
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
        let upgradeEvents = try VaultUpgrade.run(db, directory: directory, keys: keys, meta: meta, policy: policy, cadence: cadence,
                                                 now: clock.now(), logger: logger)
        var anchored: SignedCheckpoint?
        if let anchor { anchored = try AnchorAtStart(file: anchor, db: db, keys: keys).run(creating: createAnchor) }
        let verified = try StartupCheck(databasePath: directory.databasePath, db: db, keys: keys, meta: meta, cadence: cadence,
                                        anchor: anchor, allowDamagedLog: allowDamagedAuditLog).run()
        try CaseNumberCheck(db: db, keys: keys, ledger: verified.ledger).run()
        let keeper = anchor.map { AnchorKeeper(file: $0, keys: keys, logger: logger, holding: anchored?.checkpoint.size) }
        // The first anchor is written before anything is served, so a start that made none fails here.
        if let keeper, anchored == nil {
            guard let latest = verified.latestCheckpoint else {
                throw HavenError(.integrityError, "refusing --create-anchor: the audit log has no signed checkpoint to anchor")
            }
            try keeper.create(latest, on: db)
        }
        let search = SearchIndexer(policy: policy, keys: keys)
        let statistics = RecordStatisticsDeriver(policy: policy)
        let (reindex, restat, repair) = try DerivedRowsRebuild(db: db, keys: keys, logger: logger).run(search: search, statistics: statistics)
        let checkpointer: WALCheckpointer
        do {
            checkpointer = WALCheckpointer(db: try Database.open(path: directory.databasePath), logger: logger)
        } catch {
            throw HavenError(.storeUnavailable, "cannot open the database \(directory.databasePath): \(error)")
        }
        let writer = WriteQueue(db: db, keys: keys, clock: clock, logger: logger, configuration: writerConfiguration,
                                verified: verified, anchor: keeper, walCheckpointer: checkpointer)
        let vault = Vault(directory: directory, keys: keys, policy: policy, policyPath: policyPath, users: verified.users,
                          search: search, statistics: statistics, writer: writer, readers: ReaderPool(path: directory.databasePath), clock: clock, logger: logger,
                          throttle: AuthenticationThrottle(policy: authPolicy), anchorCreated: verified.anchorCreated,
                          historyLimits: historyLimits, upgradeEvents: upgradeEvents + [reindex, restat, repair].compactMap { $0 },
                          restoreEpoch: try storeCall(logger) { try BackupService.countRestores(on: db) })
        BackupSpool(directory, logger: logger).empty()
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
