/// The routes of this folder's pages.
enum RecordReadPages {
    static func register(_ routes: inout DeskRoutes) {}
}
