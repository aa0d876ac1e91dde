//! A router served on a fresh loopback port, as `ntm serve` serves it (with the peer's
//! address), for the benchmarks that measure over HTTP.

use std::net::SocketAddr;

use tokio::task::JoinHandle;

/// Serves `router` on 127.0.0.1 with a port of the system's choice; its base URL
/// (`http://127.0.0.1:<port>`) and the task serving it (abort it to stop).
pub async fn serve(router: axum::Router) -> (String, JoinHandle<()>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("address"));
    let service = router.into_make_service_with_connect_info::<SocketAddr>();
    let task = tokio::spawn(async move {
        let _ = axum::serve(listener, service).await;
    });
    (url, task)
}
