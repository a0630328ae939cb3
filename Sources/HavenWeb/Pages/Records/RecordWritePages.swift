/// The routes of this folder's pages.
enum RecordWritePages {
    static func register(_ routes: inout DeskRoutes) {}
}
