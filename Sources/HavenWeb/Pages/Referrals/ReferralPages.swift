/// The routes of this folder's pages.
enum ReferralPages {
    static func register(_ routes: inout DeskRoutes) {}
}
